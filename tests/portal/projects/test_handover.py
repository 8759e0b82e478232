from portal.projects.handover import Producer, pick, plan


def test_the_least_loaded_producer_is_picked():
    assert pick([Producer(1, 3), Producer(2, 1), Producer(3, 2)]).id == 2


def test_between_equally_loaded_producers_the_lowest_id_is_picked():
    assert pick([Producer(7, 1), Producer(4, 1), Producer(9, 1)]).id == 4


def test_a_plan_counts_the_tasks_it_has_handed_out_so_far():
    assert plan([10, 11, 12], [Producer(1, 1), Producer(2, 0)]) == {10: 2, 11: 1, 12: 2}


def test_a_plan_spreads_tasks_evenly_from_equal_loads():
    assert plan([10, 11, 12, 13], [Producer(5, 0), Producer(3, 0)]) == {10: 3, 11: 5, 12: 3, 13: 5}

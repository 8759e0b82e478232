from portal.video.uploads import VIDEO_TYPES, size_problem, type_problem


def test_video_types_are_accepted_in_any_case():
    assert all(type_problem(t) is None for t in VIDEO_TYPES)
    assert type_problem("Video/MP4") is None


def test_other_types_are_named_with_the_list():
    problem = type_problem("application/pdf")
    assert problem and "video/mp4" in problem


def test_the_size_limit_is_inclusive():
    limit = 50 * 1024 ** 3
    assert size_problem(limit, limit) is None
    assert size_problem(limit + 1, limit) == "At most 53687091200 bytes (50 GiB)."

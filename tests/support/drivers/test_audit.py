from support.drivers.audit import masked


def test_an_address_is_masked_to_its_first_letter_and_domain():
    assert masked("theo.3fa9c1@brightside.example") == "t***@brightside.example"


def test_a_one_letter_address_is_masked_too():
    assert masked("a@b.example") == "a***@b.example"

import pytest

from portal.auth.redirects import HOME, MAX_NEXT_LENGTH, safe_next_path


@pytest.mark.parametrize("path", [
    "/",
    "/projects",
    "/projects/42",
    "/projects/42?tab=cuts",
    "/projects/42?tab=cuts&version=3",
    "/search?q=final-cut",
    "/projects/%C3%A9t%C3%A9",
    "/projects/42#notes",
])
def test_same_origin_paths_are_kept_as_given(path):
    assert safe_next_path(path) == path


def test_a_path_at_the_length_limit_is_kept_and_one_over_is_refused():
    at_limit = "/" + "a" * (MAX_NEXT_LENGTH - 1)
    assert safe_next_path(at_limit) == at_limit
    assert safe_next_path(at_limit + "a") == HOME


@pytest.mark.parametrize("trick", [
    # absolute and scheme-relative
    "https://evil.example/",
    "http://evil.example/projects",
    "//evil.example",
    "//evil.example/projects/42",
    "///evil.example",
    # backslashes, which browsers read as slashes
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/projects\\..\\..\\evil",
    # the same tricks percent-encoded once
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "%2F%2Fevil.example",
    # other schemes and relative paths
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,hi",
    "projects/42",
    "evil.example",
    "?next=/",
    # whitespace and control characters, raw or encoded
    "/projects 42",
    "/projects\t42",
    "/\t/evil.example",
    "/projects\n",
    "/projects\r\nSet-Cookie: x=1",
    "/projects\x00",
    "/projects\x7f",
    "/%09/evil.example",
    "/%0d%0aSet-Cookie:%20x=1",
    "/%00",
    "/\u2028x",
    " /projects",
])
def test_every_trick_falls_back_to_home(trick):
    assert safe_next_path(trick) == "/"


@pytest.mark.parametrize("empty", [None, ""])
def test_no_value_means_home(empty):
    assert safe_next_path(empty) == "/"


def test_an_over_long_value_means_home():
    assert safe_next_path("/" + "a" * 5000) == "/"


def test_an_encoded_space_is_an_ordinary_part_of_a_path():
    assert safe_next_path("/search?q=final%20cut") == "/search?q=final%20cut"
    assert safe_next_path("/search?q=final+cut") == "/search?q=final+cut"


@pytest.mark.parametrize("candidate", ["/projects%0d%0aSet-Cookie:x=1", "/a%09b", "/a%7Fb", "/a b", "/a\tb"])
def test_raw_whitespace_and_encoded_control_characters_are_refused(candidate):
    assert safe_next_path(candidate) == "/"


def test_only_one_level_of_percent_encoding_is_decoded():
    # double-encoded: the browser asks the portal for a path that merely contains "%2F%2F"
    assert safe_next_path("/%252F%252Fevil.example") == "/%252F%252Fevil.example"

import pytest

from portal.web.deps import version_of, stale
from portal.web.errors import ApiError


@pytest.mark.parametrize("header", [None, "", "  ", "*"])
def test_a_change_without_a_version_is_428(header):
    with pytest.raises(ApiError) as refused:
        version_of(header)
    assert (refused.value.status, refused.value.code) == (428, "precondition_required")


def test_the_version_of_a_strong_etag():
    assert version_of('"3"') == 3


@pytest.mark.parametrize("header", ['W/"3"', "3", '"03"', '"0"', '"abc"', '"1", "2"', '"99999999999"'])
def test_a_tag_the_portal_never_issues_matches_no_version(header):
    assert version_of(header) == 0


def test_a_stale_change_answers_412_with_the_current_version():
    error = stale(4, "task")
    assert (error.status, error.code, error.headers["ETag"]) == (412, "version_mismatch", '"4"')
    assert '"4"' in error.fields["if_match"]

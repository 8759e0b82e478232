from portal.video.lifecycle import EVENTS, RANK
from support.drivers import cuts


def test_every_report_the_features_name_is_a_type_the_portal_registers():
    assert set(cuts.REPORTS.values()) == set(EVENTS)


def test_every_status_the_features_name_is_one_the_portal_has():
    assert set(cuts.STATUSES.values()) == set(RANK)


def test_a_token_is_checked_for_the_audience_of_what_was_asked_for():
    assert {kind: audience for kind, (_, _, audience) in cuts.ADDRESSES.items()} == {
        "video": "v", "download": "v", "thumbnail": "t"}


def test_basic_auth_is_the_environment_s_token():
    import base64

    from support.fakes.mux import ENVIRONMENTS

    env = ENVIRONMENTS["australia"]
    assert base64.b64decode(cuts.basic_auth("australia").removeprefix("Basic ")).decode() == \
        f"{env.token_id}:{env.token_secret}"

from portal.email import holds
from portal.email.resend import SendResult


def test_a_quota_hold_lasts_an_hour_and_a_refused_setting_15_minutes():
    assert holds.HOLD_MINUTES == {"quota": 60, "refused": 15}


def test_only_quota_and_refused_settings_hold_the_outbox():
    kinds = ["network", "unavailable", "rate_limited", "in_progress", "quota", "refused", "rejected"]
    held = [k for k in kinds if SendResult(ok=False, error_kind=k).holds_outbox]
    assert held == ["quota", "refused"]
    assert not SendResult(ok=True, error_kind="quota").holds_outbox


def test_a_held_answer_is_never_also_retried_on_the_schedule():
    for kind in ("quota", "refused"):
        assert not SendResult(ok=False, error_kind=kind).retryable

import pytest

from portal.email.outbox import render, scrub_secrets

TOKEN = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def test_a_token_after_a_question_mark_is_masked():
    link = f"https://portal.example/auth/magic-link?token={TOKEN}"
    assert scrub_secrets(link) == "https://portal.example/auth/magic-link?token=[redacted]"


def test_a_token_after_an_ampersand_is_masked_and_the_rest_of_the_link_kept():
    link = f"https://portal.example/auth/magic-link?next=/projects/42&token={TOKEN}&lang=en"
    assert scrub_secrets(link) == "https://portal.example/auth/magic-link?next=/projects/42&token=[redacted]&lang=en"


def test_every_link_in_a_body_is_masked():
    body = f'<a href="https://p.example/a?token={TOKEN}">x</a> and https://p.example/b?token={TOKEN[::-1]}'
    assert scrub_secrets(body) == (
        '<a href="https://p.example/a?token=[redacted]">x</a> and https://p.example/b?token=[redacted]'
    )


@pytest.mark.parametrize("text", [
    "Hello Theo,\n\nThe link works once and expires in 15 minutes.",
    "https://portal.example/projects/42?tab=cuts",
    "?token=short",                       # under 20 characters: not a secret of ours
    f"token={TOKEN}",                     # not in a query string
    f"https://p.example/x?mytoken={TOKEN}",
    "",
])
def test_other_text_is_left_alone(text):
    assert scrub_secrets(text) == text


def test_the_rendered_sign_in_email_is_scrubbed_in_both_parts():
    link = f"https://portal.example/auth/magic-link?token={TOKEN}"
    subject, html, text = render("sign_in_link", {
        "name": "Theo", "studio_name": "Northlight Studio", "link": link, "ttl_minutes": 15,
    })
    assert TOKEN in html and TOKEN in text
    assert TOKEN not in scrub_secrets(html)
    assert TOKEN not in scrub_secrets(text)
    assert "https://portal.example/auth/magic-link?token=[redacted]" in scrub_secrets(text)
    assert 'href="https://portal.example/auth/magic-link?token=[redacted]"' in scrub_secrets(html)


KEY = "A" * 43


@pytest.mark.parametrize("spelled, scrubbed", [
    (f"https://click.example/r?u=https%3A%2F%2Fportal.example%2Fauth%2Fmagic-link%3Ftoken%3D{KEY}",
     "https://click.example/r?u=https%3A%2F%2Fportal.example%2Fauth%2Fmagic-link%3Ftoken%3D[redacted]"),
    (f"https://portal.example/auth/magic-link?utm=x&amp;token={KEY}",
     "https://portal.example/auth/magic-link?utm=x&amp;token=[redacted]"),
    (f"https://click.example/r?u=x%3Fa%3D1%26token%3D{KEY}", "https://click.example/r?u=x%3Fa%3D1%26token%3D[redacted]"),
    (f"https://click.example/r?u=x%3ftoken%3d{KEY}", "https://click.example/r?u=x%3ftoken%3d[redacted]"),
])
def test_keys_in_encoded_spellings_of_a_link_are_scrubbed(spelled, scrubbed):
    assert scrub_secrets(spelled) == scrubbed


def test_a_word_ending_in_token_is_not_a_link_key():
    assert scrub_secrets(f"mytoken={KEY}") == f"mytoken={KEY}"

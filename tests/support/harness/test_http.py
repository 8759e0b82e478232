"""A failure message says in one sentence what the portal did; the attachment keeps the rest."""
import httpx
import pytest

from support.harness.http import Exchange


def exchange(status, body="", content_type="", headers=()):
    return Exchange(actor="Theo", method="GET", url="http://127.0.0.1:1/projects/7?token=abc",
                    request_headers=[], request_body="", status=status,
                    response_headers=[("content-type", content_type), *headers], response_body=body,
                    elapsed_ms=1.0, response_content_type=content_type)


def test_a_json_error_is_named_by_its_code_and_message():
    e = exchange(404, '{"error": {"code": "not_found", "message": "Nothing is here."}}', "application/json")
    assert e.summary() == "Theo's request GET /projects/7?token=[REDACTED] answered 404 with error 'not_found' (Nothing is here.)"


def test_a_page_is_named_by_its_heading_not_its_html():
    page = "<!doctype html><html><head><title>Portal</title></head><body><h1>This sign-in link can&#39;t be used</h1>" + "<p>x</p>" * 500
    summary = exchange(400, page, "text/html; charset=utf-8").summary()
    assert summary.endswith("answered 400 with the page \"This sign-in link can't be used\"")
    assert "<p>" not in summary


def test_a_page_without_a_heading_falls_back_to_its_title_then_says_so():
    assert exchange(200, "<html><title>Home</title></html>", "text/html").gist() == " with the page 'Home'"
    assert exchange(200, "<html><body>x</body></html>", "text/html").gist() == " with a page that has no heading"


def test_a_redirect_says_where_it_goes():
    e = exchange(303, "", "", headers=[("location", "https://evil.example/phish")])
    assert e.gist() == " redirecting to https://evil.example/phish"
    assert exchange(302).gist() == " with no Location to go to"


def test_an_empty_answer_and_other_json_are_short():
    assert exchange(204).gist() == " with an empty body"
    long_json = '{"items": [' + ",".join(['{"id": 1}'] * 200) + "]}"
    gist = exchange(200, long_json, "application/json").gist()
    assert gist.startswith(': {"items":[{"id":1}') and gist.endswith("[...]") and len(gist) < 200


def test_secrets_in_an_error_message_are_masked():
    secret = "s3cr3t-token-value-1234"
    e = exchange(400, '{"error": {"code": "bad", "message": "token s3cr3t-token-value-1234 is bad"}}', "application/json")
    assert secret not in e.summary([secret])


def test_a_body_sent_in_chunks_is_recorded_as_such():
    import httpx

    from support.harness.http import _request_body

    streamed = httpx.Request("POST", "http://127.0.0.1:1/x", content=iter([b"a", b"b"]))
    assert _request_body(streamed) == "(a body sent in chunks; not recorded)"
    assert _request_body(httpx.Request("POST", "http://127.0.0.1:1/x", content=b"ab")) == "ab"


@pytest.mark.parametrize("address", [
    "http://127.0.0.1:8000/a/b?x=1&y=%20z", "http://127.0.0.1:8000", "http://h:1/s/abc%2Fdef?", "http://h/x#frag",
    "http://h/%E2%9C%93?q=%C3%A9", "http://h/a b?c=d e", "http://h/?next=http://evil/x", "http://h?x=a/b",
])
def test_the_path_is_what_httpx_sent(address):
    url = str(httpx.Request("GET", address).url)
    exchange = Exchange("a", "GET", url, [], "", 200, [], "", 1.0)
    assert exchange.path == httpx.URL(url).raw_path.decode("ascii")

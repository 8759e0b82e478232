from urllib.parse import parse_qs, urlsplit

from portal.sharing import media

SECRET = "s" * 43


def test_a_signed_url_carries_its_expiry_and_signature():
    url = media.signed_url("https://media.example", SECRET, "/stream/abc.m3u8", 1_900_000_000)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "media.example", "/stream/abc.m3u8")
    query = parse_qs(parts.query)
    assert query["expires"] == ["1900000000"]
    assert len(query["signature"][0]) == 64


def _signature(path, expires, secret=SECRET):
    return parse_qs(urlsplit(media.signed_path(secret, path, expires)).query)["signature"][0]


def test_the_store_accepts_an_untouched_address_before_it_expires():
    assert media.verify(SECRET, "/files/a/b.mov", 1000, _signature("/files/a/b.mov", 1000), now=999.0)


def test_the_store_refuses_an_expired_address():
    assert not media.verify(SECRET, "/files/a/b.mov", 1000, _signature("/files/a/b.mov", 1000), now=1000.0)


def test_the_store_refuses_another_path_a_later_expiry_or_another_key():
    signature = _signature("/files/a/b.mov", 1000)
    assert not media.verify(SECRET, "/files/a/c.mov", 1000, signature, now=0)
    assert not media.verify(SECRET, "/files/a/b.mov", 2000, signature, now=0)
    assert not media.verify("t" * 43, "/files/a/b.mov", 1000, signature, now=0)


def test_paths_are_quoted():
    assert media.playback_path("abc123") == "/stream/abc123.m3u8"
    assert media.playback_path("a/b c") == "/stream/a%2Fb%20c.m3u8"
    assert media.file_path("cuts/harbour lights/v3.mov") == "/files/cuts/harbour%20lights/v3.mov"

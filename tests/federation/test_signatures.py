"""HTTP Signatures (cavage draft): good, bad, expired and replayed."""

from datetime import UTC, datetime, timedelta

import pytest

from federation import keys, signatures

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
URL = "https://blog.example/ap/inbox/"
BODY = b'{"type": "Follow"}'


@pytest.fixture(scope="module")
def pair():
    return keys.new_key_pair()


def signed_headers(pair, *, when=NOW, body=BODY, url=URL):
    return signatures.sign(
        method="POST",
        url=url,
        body=body,
        key_id="https://peer.example/u#k",
        private_pem=pair[0],
        when=when,
    )


def check(headers, *, body=BODY, path="/ap/inbox/", now=NOW):
    lower = {name.lower(): value for name, value in headers.items()}
    return signatures.parse(
        method="POST", path=path, headers=lower, body=body, now=now, window=300
    )


def test_a_good_signature_verifies(pair):
    headers = signed_headers(pair)
    assert headers["Host"] == "blog.example"
    assert headers["Digest"] == signatures.digest(BODY)
    assert 'headers="(request-target) host date digest"' in headers["Signature"]
    signed = check(headers)
    assert signed.key_id == "https://peer.example/u#k"
    signed.verify(pair[1])


def test_a_signature_by_another_key_fails(pair):
    other = keys.new_key_pair()
    with pytest.raises(signatures.SignatureError, match="does not match"):
        check(signed_headers(other)).verify(pair[1])


def test_a_changed_body_fails_the_digest(pair):
    with pytest.raises(signatures.SignatureError, match="Digest"):
        check(signed_headers(pair), body=b'{"type": "Delete"}')


def test_a_changed_path_fails_the_signature(pair):
    with pytest.raises(signatures.SignatureError):
        check(signed_headers(pair), path="/ap/blog/inbox/").verify(pair[1])


def test_an_expired_or_future_date_is_refused(pair):
    for when in (NOW - timedelta(minutes=6), NOW + timedelta(minutes=6)):
        with pytest.raises(signatures.SignatureError, match="expired"):
            check(signed_headers(pair, when=when))
    check(signed_headers(pair, when=NOW - timedelta(minutes=4))).verify(pair[1])


def test_replayed_signatures_have_the_same_fingerprint(pair):
    first = check(signed_headers(pair))
    again = check(signed_headers(pair))
    other_time = check(signed_headers(pair, when=NOW - timedelta(seconds=1)))
    assert first.fingerprint == again.fingerprint  # what the inbox refuses the second time
    assert first.fingerprint != other_time.fingerprint


@pytest.mark.parametrize(
    "mangle, message",
    [
        (lambda h: h.pop("Signature"), "not signed"),
        (lambda h: h.update(Signature=h["Signature"].replace("keyId", "kid")), "keyId"),
        (
            lambda h: h.update(Signature=h["Signature"].replace("rsa-sha256", "hmac-sha1")),
            "algorithm",
        ),
        (lambda h: h.update(Signature=h["Signature"].replace(" digest", "")), "digest"),
        (lambda h: h.update(Signature=h["Signature"].replace("host ", "")), "host"),
        (lambda h: h.update(Date="yesterday"), "not a date"),
        (lambda h: h.pop("Digest"), "Digest"),
    ],
)
def test_malformed_signatures_are_refused(pair, mangle, message):
    headers = signed_headers(pair)
    mangle(headers)
    with pytest.raises(signatures.SignatureError, match=message):
        check(headers)

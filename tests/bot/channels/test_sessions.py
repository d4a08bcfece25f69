"""Web chat conversation ids are minted and signed by the server, never chosen by clients."""

from __future__ import annotations

import pytest

from bot.channels.sessions import SessionSigner


def test_a_minted_id_is_verified_and_carries_128_random_bits():
    signer = SessionSigner("secret-one")
    session_id = signer.mint()
    nonce, _mac = session_id.split(".")
    assert len(nonce) == 32 and int(nonce, 16) >= 0  # 16 random bytes in hex
    assert len(session_id) == 57
    assert signer.verified(session_id) == session_id


def test_ids_are_never_repeated():
    signer = SessionSigner("secret-one")
    assert len({signer.mint() for _ in range(500)}) == 500


@pytest.mark.parametrize(
    "forged",
    [
        "someone-else",
        "",
        None,
        42,
        "a" * 10_000,
        "0" * 32 + "." + "0" * 24,
        "+447700900123",
    ],
)
def test_ids_the_server_did_not_sign_are_refused(forged):
    assert SessionSigner("secret-one").verified(forged) is None


def test_an_id_signed_under_another_secret_is_refused():
    other = SessionSigner("secret-two").mint()
    assert SessionSigner("secret-one").verified(other) is None


def test_a_changed_nonce_breaks_the_signature():
    signer = SessionSigner("secret-one")
    nonce, mac = signer.mint().split(".")
    tampered = ("f" if nonce[0] != "f" else "e") + nonce[1:]
    assert signer.verified(f"{tampered}.{mac}") is None


def test_a_secret_is_required():
    with pytest.raises(ValueError):
        SessionSigner("")

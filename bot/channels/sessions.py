"""Web chat conversation ids that only the server can mint.

A web patient's conversation id is the only thing that ties a browser to its
conversation, so the client must never choose it. The server mints one per new chat:
128 random bits and an HMAC-SHA256 signature under the server's secret
(``BACKCARE_SESSION_SECRET``, or a key kept in ``var/`` when unset), 57 characters in
all. A client that comes back with an id the server did not sign, or one of the wrong
length, gets a new conversation::

    signer = SessionSigner(secret)
    session_id = signer.mint()          # "3f2a...c9.1b7e...04"
    signer.verified(session_id)         # -> session_id
    signer.verified("someone-else")     # -> None
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

_ID = re.compile(r"^[0-9a-f]{32}\.[0-9a-f]{24}$")


class SessionSigner:
    """Mint and check signed conversation ids."""

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("a session secret is required")
        self._key = secret.encode("utf-8")

    def _mac(self, nonce: str) -> str:
        return hmac.new(self._key, nonce.encode("ascii"), hashlib.sha256).hexdigest()[:24]

    def mint(self) -> str:
        """Return a new conversation id."""
        nonce = secrets.token_hex(16)
        return f"{nonce}.{self._mac(nonce)}"

    def verified(self, value: object) -> str | None:
        """Return ``value`` if it is an id this server minted, else ``None``."""
        if not isinstance(value, str) or not _ID.match(value):
            return None
        nonce, mac = value.split(".")
        return value if hmac.compare_digest(mac, self._mac(nonce)) else None

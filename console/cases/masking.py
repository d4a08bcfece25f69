"""Show a patient as a pseudonym and a masked number, never as their conversation id.

The conversation id of an SMS patient is their phone number; web and REST ids are
opaque but still identify a conversation. The queue shows ``P-`` and a keyed hash of
the id (stable, so one patient's cases group together) and, for a phone number, its
country code and last three digits: ``+44 ••• ••• 123``.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings

_PHONE = re.compile(r"^\+?[\d\s().-]{7,20}$")
HIDDEN = "\u2022\u2022\u2022"


def pseudonym(conversation_id: str) -> str:
    """Return a short, stable pseudonym for ``conversation_id`` (keyed by the secret key)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode("utf-8"), conversation_id.encode("utf-8"), hashlib.sha256
    ).hexdigest()
    return "P-" + digest[:8]


def mask_phone(value: str) -> str:
    """Return ``value`` masked if it is a phone number, else an empty string."""
    if not _PHONE.match(value.strip()):
        return ""
    digits = re.sub(r"\D", "", value)
    prefix = "+" + digits[:2] if value.strip().startswith("+") else digits[:1]
    return f"{prefix} {HIDDEN} {HIDDEN} {digits[-3:]}"

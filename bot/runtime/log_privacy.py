"""Keep phone numbers out of every log line, whoever writes it.

The SMS channel masks numbers in its own lines, but Rasa, Sanic and the libraries log
sender ids (an SMS patient's sender id is their phone number) in lines we do not
write. :func:`install_log_privacy` wraps the logging record factory, so every record
of every logger, in every process that calls it, has phone numbers masked before any
handler sees it: ``+447700900123`` becomes ``+44*******123``::

    install_log_privacy()
    logging.getLogger("rasa.core.processor").info("sender +447700900123")  # masked
"""

from __future__ import annotations

import logging
import re
from typing import Any

# An optional +, then at least 9 digits with spaces, dots, dashes or brackets between.
_PHONE = re.compile(r"(?<![\w+])\+?\d(?:[\s().-]?\d){8,14}(?![\w])")
_installed = False


def mask_phone_numbers(text: str) -> str:
    """Return ``text`` with anything that looks like a phone number masked."""

    def mask(match: re.Match[str]) -> str:
        number = match.group(0)
        return number[:3] + re.sub(r"\d", "*", number[3:-3]) + number[-3:]

    return _PHONE.sub(mask, text)


def install_log_privacy() -> None:
    """Mask phone numbers in every log record created from now on (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is logged as it is
            return record
        masked = mask_phone_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return record

    logging.setLogRecordFactory(factory)
    _installed = True

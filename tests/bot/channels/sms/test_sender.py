import asyncio
import logging

import pytest

from bot.channels.sms.sender import TwilioSender, mask_number
from bot.channels.sms.store import SmsStore

SID, TOKEN, FROM = "AC" + "0" * 32, "test-auth-token-1234", "+15005550006"
PATIENT = "+447700900123"


@pytest.mark.parametrize(
    ("number", "masked"),
    [("+447700900123", "+44*******123"), ("+15005550006", "+15******006"), ("12345", "***45")],
)
def test_numbers_are_masked_for_logs(number, masked):
    assert mask_number(number) == masked


def test_an_unreachable_api_is_logged_and_not_raised(tmp_path, caplog):
    store = SmsStore(f"sqlite:///{tmp_path / 't.db'}")
    sender = TwilioSender(SID, TOKEN, FROM, "http://127.0.0.1:9", store)
    with caplog.at_level(logging.ERROR, logger="bot.channels.sms.sender"):
        assert asyncio.run(sender.send(PATIENT, "hi")) is False
    assert PATIENT not in caplog.text

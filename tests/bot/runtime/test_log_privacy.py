import logging

import pytest

from bot.runtime.log_privacy import install_log_privacy, mask_phone_numbers


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("sender +447700900123 said hi", "sender +44*******123 said hi"),
        ("rest:+447700900123", "rest:+44*******123"),
        ("call 07700 900123", "call 077** ***123"),
        ("alert 12345 delivered", "alert 12345 delivered"),
        ("took 1732 ms", "took 1732 ms"),
    ],
)
def test_phone_numbers_are_masked(text, masked):
    assert mask_phone_numbers(text) == masked


def test_every_logger_masks_numbers_once_installed(caplog):
    install_log_privacy()
    with caplog.at_level(logging.INFO):
        logging.getLogger("rasa.core.processor").info("Logged UserUtterance for %s", "+447700900123")
    assert "+447700900123" not in caplog.text
    assert "+44*******123" in caplog.text

"""is_sms(): the one channel check."""

import pytest

from actions.common.channel import is_sms

from ..dispatch import make_tracker


@pytest.mark.parametrize(
    ("channel", "sms"), [("twilio", True), ("socketio", False), ("rest", False), (None, False)]
)
def test_only_the_twilio_channel_is_sms(channel, sms):
    assert is_sms(make_tracker(channel=channel)) is sms

"""Decide how to phrase a reply for the channel the patient is writing on.

Every education action asks this module, and only this module, whether the patient is
on SMS. On SMS a topic is sent as its one-message ``sms`` variant instead of the chat
parts; buttons are still sent as buttons, because the SMS channel turns them into
"Reply 1 for ..." lines::

    from actions.common.channel import is_sms

    sms = is_sms(tracker.get_latest_input_channel())
"""

from __future__ import annotations

# Name of the Twilio-based SMS input channel in credentials.yml.
SMS_CHANNEL = "twilio"


def is_sms(channel_name: str | None) -> bool:
    """Return whether replies on ``channel_name`` should use the SMS style.

    Args:
        channel_name: the ``input_channel`` of the patient's latest message, or
            ``None`` when it is unknown (for example in a test or a fresh tracker).
    """
    return channel_name == SMS_CHANNEL

"""Tell whether the patient is writing by SMS, the one channel check of the action server.

On SMS a reply is sent as its compact ``sms`` variant instead of the chat parts;
buttons are still sent as buttons, because the SMS channel turns them into
"Reply 1 for ..." lines::

    from actions.common.channel import is_sms

    message = content.message("start", sms=is_sms(tracker))
"""

from __future__ import annotations

from rasa_sdk import Tracker

# Name of the Twilio-based SMS input channel in credentials.yml.
SMS_CHANNEL = "twilio"


def is_sms(tracker: Tracker) -> bool:
    """Return whether the patient's latest message came in by SMS.

    A tracker with no known channel (a test, a fresh conversation) counts as chat.
    """
    return bool(tracker.get_latest_input_channel() == SMS_CHANNEL)

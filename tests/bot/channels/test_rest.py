"""The REST channel's token check and its own conversation namespace."""

from __future__ import annotations

import pytest

from bot.channels.rest import authorised, conversation_id


@pytest.mark.parametrize(
    ("header", "token", "ok"),
    [
        ("Bearer s3cret", "s3cret", True),
        ("Bearer  s3cret ", "s3cret", True),
        ("Bearer wrong", "s3cret", False),
        ("s3cret", "s3cret", False),
        ("Basic s3cret", "s3cret", False),
        (None, "s3cret", False),
        ("", "s3cret", False),
        ("Bearer ", "", False),  # no token configured: nobody gets in
        ("Bearer anything", "", False),
    ],
)
def test_only_the_bearer_token_is_authorised(header, token, ok):
    assert authorised(header, token) is ok


@pytest.mark.parametrize("sender", ["+447700900123", "3f2a" * 8 + "." + "0" * 24, "tool-1"])
def test_a_rest_sender_can_never_name_another_channels_conversation(sender):
    conversation = conversation_id(sender)
    assert conversation.startswith("rest:")
    assert conversation != sender

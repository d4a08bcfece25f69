"""A turn's bot messages are collected whole, with the response that made them."""

from __future__ import annotations

import asyncio

from bot.channels.turn import TurnCollector


def test_each_message_is_one_item_with_its_response_name_and_buttons():
    collector = TurnCollector()
    buttons = [{"title": "Yes, show me", "payload": "/affirm"}]
    asyncio.run(
        collector.send_response(
            "p1",
            {
                "text": "First paragraph.\n\nSecond paragraph.",
                "buttons": buttons,
                "utter_action": "utter_urgent_care_emergency",
                "content_id": "urgent.emergency",
                "ignored": "x",
            },
        )
    )
    asyncio.run(collector.send_response("p1", {"text": "Plain."}))
    first, second = collector.messages
    assert first == {
        "recipient_id": "p1",
        "text": "First paragraph.\n\nSecond paragraph.",
        "buttons": buttons,
        "content_id": "urgent.emergency",
        "response": "utter_urgent_care_emergency",
    }
    assert second == {"recipient_id": "p1", "text": "Plain."}

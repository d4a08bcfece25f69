"""send(): every message in order, with its buttons and content id."""

from rasa_sdk.executor import CollectingDispatcher

from actions.common.content import Button, OutgoingMessage
from actions.common.send import send


def test_send_keeps_the_order_buttons_and_content_ids():
    dispatcher = CollectingDispatcher()
    menu = Button("Menu", "/show_menu")
    send(dispatcher, OutgoingMessage("one", "a.one"), OutgoingMessage("two", "a.two", (menu,)))
    assert [(m["text"], m["content_id"], m["buttons"]) for m in dispatcher.messages] == [
        ("one", "a.one", []),
        ("two", "a.two", [{"title": "Menu", "payload": "/show_menu"}]),
    ]


def test_a_message_without_a_content_id_is_sent_without_one():
    dispatcher = CollectingDispatcher()
    send(dispatcher, OutgoingMessage("plain"))
    assert "content_id" not in dispatcher.messages[0]

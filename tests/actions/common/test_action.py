"""ReplyAction: the name given in the class statement, and run() calling reply()."""

import inspect

from rasa_sdk.events import SlotSet

from actions.common.action import ReplyAction
from actions.common.content import OutgoingMessage
from actions.common.send import send

from ..dispatch import make_tracker, run


class ActionSayHello(ReplyAction, action="action_say_hello"):
    """A reply action for the test: one message and one event."""

    def reply(self, dispatcher, tracker):
        send(dispatcher, OutgoingMessage(f"hello {tracker.sender_id}", "test.hello"))
        return [SlotSet("greeted", True)]


def test_the_name_comes_from_the_class_statement():
    assert ActionSayHello().name() == "action_say_hello"


def test_run_sends_the_reply_and_returns_its_events():
    events, messages = run(ActionSayHello(), make_tracker("hi"))
    assert events == [SlotSet("greeted", True)]
    assert [(m["text"], m["content_id"]) for m in messages] == [("hello patient-1", "test.hello")]


def test_the_base_class_is_abstract_so_it_is_never_served():
    assert inspect.isabstract(ReplyAction)

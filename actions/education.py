"""Actions that answer questions about back pain from the curated topics in ``content/``.

- ``action_explain_topic``: the rules in ``data/stories/education.yml`` run it for every
  topic intent (and for ``bot_challenge``, answered by the "about" topic). It sends the
  topic for the patient's channel, then offers related topics and the menu.
- ``action_show_menu``: the main options and topics.
- ``action_suggest_topics``: runs on ``nlu_fallback``; offers the likeliest topics from
  the NLU intent ranking, or asks the patient to rephrase.

The actions are thin: the words and the message layout come from
:mod:`actions.content`, the channel style from :mod:`actions.channel`. Every message
carries a ``content_id`` naming the content it came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.channel import is_sms
from actions.content import (
    OutgoingMessage,
    explain_messages,
    get_store,
    menu_message,
    placeholder_values,
    suggested_topics,
    suggestion_message,
)


def send(dispatcher: CollectingDispatcher, messages: Iterable[OutgoingMessage]) -> None:
    """Send content messages through the dispatcher, in order."""
    for message in messages:
        dispatcher.utter_message(**message.as_kwargs())


def latest_intent(tracker: Tracker) -> str | None:
    """Return the intent of the patient's latest message, ``nlu_fallback`` included."""
    intent: Any = tracker.latest_message.get("intent") or {}
    name = intent.get("name") if isinstance(intent, dict) else None
    return name if isinstance(name, str) else None


def sms_channel(tracker: Tracker) -> bool:
    """Return whether the patient's latest message came in by SMS."""
    return is_sms(tracker.get_latest_input_channel())


class ActionExplainTopic(Action):
    """Explain the topic that answers the patient's latest intent."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_explain_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the topic, then offer related topics and the menu."""
        store = get_store()
        sms = sms_channel(tracker)
        topic = store.topic_for_intent(latest_intent(tracker))
        if topic is None:
            # Only reachable if a rule maps an intent that has no topic yet: the menu
            # keeps the patient moving instead of leaving them without a reply.
            send(dispatcher, [menu_message(store, sms=sms)])
            return []
        send(dispatcher, explain_messages(store, topic, sms=sms, values=placeholder_values()))
        return []


class ActionShowMenu(Action):
    """Show the main options: the course, the symptom check, pacing and topics."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_show_menu"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the menu for the patient's channel."""
        send(dispatcher, [menu_message(get_store(), sms=sms_channel(tracker))])
        return []


class ActionSuggestTopics(Action):
    """Offer the likeliest topics when the NLU was not confident enough to answer."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_suggest_topics"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send "did you mean" buttons, or ask to rephrase if no topic is likely."""
        store = get_store()
        ranking = tracker.latest_message.get("intent_ranking") or []
        topics = suggested_topics(store, ranking)
        if not topics:
            rephrase = OutgoingMessage(store.text("suggest.rephrase"), "ui.suggest.rephrase")
            send(dispatcher, [rephrase])
            return []
        send(dispatcher, [suggestion_message(store, topics)])
        return []

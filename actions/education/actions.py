"""Actions that answer questions about back pain from the curated topics in ``content/``.

- ``action_explain_topic``: the rules in ``data/stories/education.yml`` run it for every
  topic intent (and for ``bot_challenge``, answered by the "about" topic). It sends the
  topic for the patient's channel, then offers related topics and the menu.
- ``action_show_menu``: the main things to do; ``action_show_topics``: the topics, a
  page at a time.
- ``action_suggest_topics``: runs on ``nlu_fallback``. When the last message asked a
  question with buttons it offers them again; otherwise the likeliest topics from the
  NLU intent ranking, or a request to rephrase with the menu. It always takes the patient's message
  back (``UserUtteranceReverted``), like Rasa's own fallback, so the dialogue neither
  loops nor loses its place: the next message answers the same question.

The actions are thin: the words and the message layout come from
:mod:`actions.education.content`, the channel style from :mod:`actions.common.channel`. Every message
carries a ``content_id`` naming the content it came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.channel import is_sms
from actions.education.content import (
    Button,
    OutgoingMessage,
    explain_messages,
    get_store,
    menu_message,
    placeholder_values,
    reoffer_message,
    rephrase_message,
    suggested_topics,
    suggestion_message,
    topics_message,
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
            send(dispatcher, [menu_message(store)])
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
        send(dispatcher, [menu_message(get_store())])
        return []


def requested_page(tracker: Tracker) -> int:
    """Return the topics page the latest message asked for (1 when it named none)."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "topics_page":
            try:
                return int(str(entity.get("value")))
            except ValueError:
                return 1
    return 1


def last_question_buttons(tracker: Tracker) -> tuple[Button, ...]:
    """Return the buttons of the bot's last message before the patient's latest one."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return ()
            seen_user = True
            continue
        if seen_user and event.get("event") == "bot":
            raw = (event.get("data") or {}).get("buttons") or []
            return tuple(
                Button(str(b["title"]), str(b["payload"]))
                for b in raw
                if isinstance(b, dict) and b.get("title") and b.get("payload")
            )
    return ()


class ActionShowTopics(Action):
    """Show one page of topics, then the way to the next page or the menu."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_show_topics"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the page the patient asked for."""
        send(dispatcher, [topics_message(get_store(), requested_page(tracker))])
        return []


class ActionSuggestTopics(Action):
    """Offer the likeliest topics when the NLU was not confident enough to answer."""

    def name(self) -> str:
        """Return the action's name in the domain."""
        return "action_suggest_topics"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Offer the question's buttons again, likely topics, or ask to rephrase."""
        store = get_store()
        offered = last_question_buttons(tracker)
        if len(offered) > 1:
            send(dispatcher, [reoffer_message(store, offered)])
            return [UserUtteranceReverted()]
        ranking = tracker.latest_message.get("intent_ranking") or []
        topics = suggested_topics(store, ranking)
        if topics:
            send(dispatcher, [suggestion_message(store, topics)])
        else:
            send(dispatcher, [rephrase_message(store), menu_message(store)])
        return [UserUtteranceReverted()]

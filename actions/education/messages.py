"""The messages of the education actions: topics, the menu, suggestions and lessons.

Plain functions from the content store (:mod:`actions.education.topics`) to
:class:`~actions.common.content.OutgoingMessage` objects, no Rasa imports::

    store = get_store()
    topic = store.topic_for_intent("ask_sleep")
    if topic is not None:
        send(dispatcher, *explain_messages(store, topic, sms=False, values=placeholder_values()))

Each message carries a ``content_id`` (for example ``"sleep"``,
``"sleep.teach_back.praise"`` or ``"ui.menu.prompt"``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from actions.common.content import Button, OutgoingMessage, fill
from actions.education.course import LessonStep
from actions.education.topics import ContentStore, Topic


def topic_buttons(topics: Sequence[Topic]) -> tuple[Button, ...]:
    """Return a button per topic that has an intent, sending that intent."""
    return tuple(Button(t.title, f"/{t.intent}") for t in topics if t.intent is not None)


def topic_messages(
    topic: Topic, *, sms: bool, values: Mapping[str, str], heading: str = ""
) -> list[OutgoingMessage]:
    """Return a topic's text as one message: the chat parts as paragraphs, or the SMS variant.

    One message, not one per part: a phone screen then shows the start of the topic
    (and its heading, if any) instead of scrolling past it to the last part.
    """
    texts = [topic.sms] if sms else list(topic.parts)
    if heading:
        texts.insert(0, heading if sms else f"**{heading}**")
    return [OutgoingMessage(fill("\n\n".join(texts), values), topic.id)]


def explain_messages(
    store: ContentStore, topic: Topic, *, sms: bool, values: Mapping[str, str]
) -> list[OutgoingMessage]:
    """Return a topic followed by an offer of its related topics and the menu."""
    related = topic_buttons([store.topic(topic_id) for topic_id in topic.related])
    offer = OutgoingMessage(
        store.text("related_prompt"),
        "ui.related_prompt",
        (*related, store.button("buttons.menu")),
    )
    return [*topic_messages(topic, sms=sms, values=values), offer]


def menu_message(store: ContentStore) -> OutgoingMessage:
    """Return the menu: the main things to do, the last of which opens the topics."""
    return OutgoingMessage(
        store.text("menu.prompt"), "ui.menu.prompt", store.buttons("menu.actions")
    )


def topics_page_payload(page: int) -> str:
    """Return the payload that shows topics page ``page`` (1-based)."""
    return '/show_topics{"topics_page": "' + str(page) + '"}'


def topics_message(store: ContentStore, page: int) -> OutgoingMessage:
    """Return one page of topics (1-based, clamped), then "More topics" or the menu."""
    pages = store.topic_pages()
    number = max(1, min(page, len(pages)))
    topics = store.topic_list(f"topics.pages.{number - 1}")
    if number < len(pages):
        onward = Button(store.text("topics.more.title"), topics_page_payload(number + 1))
    else:
        onward = store.button("buttons.menu")
    return OutgoingMessage(
        store.text("topics.prompt"),
        f"ui.topics.page_{number}",
        (*topic_buttons(topics), onward),
    )


def suggested_topics(
    store: ContentStore,
    intent_ranking: Sequence[Mapping[str, Any]],
    *,
    limit: int = 3,
    min_confidence: float = 0.05,
) -> list[Topic]:
    """Return the likeliest topics from an NLU intent ranking, best first.

    Args:
        store: the content store.
        intent_ranking: ``latest_message["intent_ranking"]``: dicts with ``name`` and
            ``confidence``, best first.
        limit: most topics to return.
        min_confidence: intents below this are noise, not a guess worth offering.
    """
    found: list[Topic] = []
    for entry in intent_ranking:
        confidence = entry.get("confidence")
        if isinstance(confidence, (int, float)) and confidence < min_confidence:
            continue
        topic = store.topic_for_intent(entry.get("name"))
        if topic is not None and topic not in found:
            found.append(topic)
        if len(found) == limit:
            break
    return found


def reoffer_message(store: ContentStore, buttons: Sequence[Button]) -> OutgoingMessage:
    """Return "please pick one of these" with the buttons of the question just asked."""
    return OutgoingMessage(store.text("suggest.pick"), "ui.suggest.pick", tuple(buttons))


def rephrase_message(store: ContentStore) -> OutgoingMessage:
    """Return "could you say it another way" (the menu follows it)."""
    return OutgoingMessage(store.text("suggest.rephrase"), "ui.suggest.rephrase")


def suggestion_message(store: ContentStore, topics: Sequence[Topic]) -> OutgoingMessage:
    """Return "did you mean" with a button per topic and one for something else."""
    return OutgoingMessage(
        store.text("suggest.prompt"),
        "ui.suggest.prompt",
        (*topic_buttons(topics), store.button("buttons.something_else")),
    )


def lesson_messages(
    store: ContentStore, step: LessonStep, *, sms: bool, values: Mapping[str, str]
) -> list[OutgoingMessage]:
    """Return the course text for ``step``: its lead-in, then the lesson, if any."""
    course = store.course
    messages: list[OutgoingMessage] = []
    if step.lead is not None:
        number = step.completed
        title = store.lesson(number - 1).title if 0 < number <= course.total else ""
        lead = fill(
            course.messages[step.lead],
            {**values, "number": str(number), "total": str(course.total), "title": title},
        )
        # The end of the course leaves the patient at a choice, not a dead end.
        buttons = (store.button("buttons.menu"),) if step.index is None else ()
        messages.append(OutgoingMessage(lead, f"lessons.{step.lead}", buttons))
    if step.index is not None:
        topic = store.lesson(step.index)
        heading = fill(
            course.messages["heading"],
            {"number": str(step.index + 1), "total": str(course.total), "title": topic.title},
        )
        messages.extend(topic_messages(topic, sms=sms, values=values, heading=heading))
    return messages


def question_message(topic: Topic, values: Mapping[str, str]) -> OutgoingMessage:
    """Return the teach-back question of ``topic``."""
    return OutgoingMessage(
        fill(topic.teach_back.question, values), f"{topic.id}.teach_back.question"
    )


def feedback_messages(
    store: ContentStore,
    topic: Topic,
    message_key: str,
    *,
    completed: int,
    values: Mapping[str, str],
) -> list[OutgoingMessage]:
    """Return the reply to a teach-back answer and the way on.

    Args:
        store: the content store.
        topic: the topic that was checked.
        message_key: the verdict's ``message_key`` (see :class:`TeachBackSpec`).
        completed: lessons finished, counting this one.
        values: placeholder values.
    """
    feedback = fill(topic.teach_back.message(message_key), values)
    content_id = f"{topic.id}.teach_back.{message_key}"
    if completed < store.course.total:
        buttons = (store.button("buttons.next_lesson"), store.button("buttons.menu"))
        return [OutgoingMessage(feedback, content_id, buttons)]
    finished = LessonStep(index=None, completed=completed, lead="complete")
    return [
        OutgoingMessage(feedback, content_id),
        *lesson_messages(store, finished, sms=False, values=values),
    ]

"""Typed store of the education topics in ``content/``, checked when loaded.

- ``content/topics/<id>.yml``: one topic each (parts for chat, an SMS variant, sources,
  review status, related topics and a teach-back check);
- ``content/lessons.yml``: the course order and the words around the lessons
  (:mod:`actions.education.course`);
- ``content/ui.yml``: shared button labels and prompts.

The store is read and checked once, on first use (:func:`get_store`), so importing this
module does no work::

    store = get_store()
    topic = store.topic_for_intent("ask_sleep")
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from actions.common.content import (
    CONTENT_DIR,
    Button,
    ContentError,
    ContentFile,
    read_yaml,
    require_text,
    require_texts,
)
from actions.common.review import STATUS_REVIEWED, Review, parse_review, review_hash
from actions.education.course import Course, load_course


@dataclass(frozen=True)
class Misconception:
    """A common wrong idea a teach-back answer may show, and its gentle correction."""

    match: tuple[str, ...]
    correction: str


@dataclass(frozen=True)
class TeachBackSpec:
    """The check after a topic: the question and how to answer each kind of reply.

    ``expect_any`` and ``Misconception.match`` hold cues: short phrases whose words
    must appear in order in the answer (see :mod:`actions.education.teach_back`).
    """

    question: str
    expect_any: tuple[str, ...]
    misconceptions: tuple[Misconception, ...]
    praise: str
    nudge: str

    def message(self, key: str) -> str:
        """Return the reply text for a verdict's ``message_key``.

        Args:
            key: ``"praise"``, ``"nudge"`` or ``"misconceptions.<index>"``.

        Raises:
            ContentError: the key names no reply.
        """
        if key == "praise":
            return self.praise
        if key == "nudge":
            return self.nudge
        prefix, _, index = key.partition(".")
        if prefix == "misconceptions" and index.isdigit():
            position = int(index)
            if position < len(self.misconceptions):
                return self.misconceptions[position].correction
        raise ContentError(f"no teach-back reply {key!r}")


@dataclass(frozen=True)
class Topic:
    """One education topic, as read from ``content/topics/<id>.yml``."""

    id: str
    title: str
    key_message: str
    intent: str | None
    parts: tuple[str, ...]
    sms: str
    sources: tuple[str, ...]
    review: Review
    related: tuple[str, ...]
    reading_grade: float
    teach_back: TeachBackSpec
    text_hash: str = ""

    @property
    def needs_review(self) -> bool:
        """Return whether this topic's text awaits (re-)review by a clinician."""
        return self.review.state(self.text_hash) != STATUS_REVIEWED


@dataclass(frozen=True)
class ContentStore:
    """All education content, checked for consistency when loaded."""

    topics: Mapping[str, Topic]
    course: Course
    ui: Mapping[str, Any] = field(default_factory=dict)

    def topic(self, topic_id: str) -> Topic:
        """Return the topic with ``topic_id``.

        Raises:
            ContentError: no such topic.
        """
        try:
            return self.topics[topic_id]
        except KeyError:
            raise ContentError(f"unknown topic {topic_id!r}") from None

    def find_topic(self, topic_id: str | None) -> Topic | None:
        """Return the topic with ``topic_id``, or ``None`` if there is none."""
        if topic_id is None:
            return None
        return self.topics.get(topic_id)

    def topic_for_intent(self, intent: str | None) -> Topic | None:
        """Return the topic that answers ``intent``, or ``None``."""
        if intent is None:
            return None
        for topic in self.topics.values():
            if topic.intent == intent:
                return topic
        return None

    def topic_intents(self) -> frozenset[str]:
        """Return the intents that topics answer."""
        return frozenset(t.intent for t in self.topics.values() if t.intent is not None)

    def lesson(self, index: int) -> Topic:
        """Return the topic taught as lesson ``index`` (0-based)."""
        return self.topic(self.course.lessons[index])

    def text(self, key: str) -> str:
        """Return the ``ui.yml`` string at a dotted ``key`` such as ``"menu.prompt"``."""
        value = self._ui_value(key)
        if not isinstance(value, str):
            raise ContentError(f"ui.yml: {key} is not a text")
        return value

    def button(self, key: str) -> Button:
        """Return the ``ui.yml`` button at a dotted ``key`` such as ``"buttons.menu"``."""
        return _button(self._ui_value(key), f"ui.yml: {key}")

    def buttons(self, key: str) -> tuple[Button, ...]:
        """Return the ``ui.yml`` list of buttons at a dotted ``key``."""
        value = self._ui_value(key)
        if not isinstance(value, list):
            raise ContentError(f"ui.yml: {key} is not a list")
        return tuple(_button(item, f"ui.yml: {key}") for item in value)

    def topic_list(self, key: str) -> tuple[Topic, ...]:
        """Return the topics named by the ``ui.yml`` list of ids at a dotted ``key``."""
        value = self._ui_value(key)
        if not isinstance(value, list):
            raise ContentError(f"ui.yml: {key} is not a list")
        return tuple(self.topic(str(topic_id)) for topic_id in value)

    def topic_pages(self) -> list[Any]:
        """Return the ``ui.yml`` pages of topic ids shown by "Topics"."""
        pages = self._ui_value("topics.pages")
        if not isinstance(pages, list) or not pages:
            raise ContentError("ui.yml: topics.pages must be a non-empty list")
        return pages

    def _ui_value(self, key: str) -> Any:
        return ContentFile("ui", self.ui).node(key)


def _button(value: Any, where: str) -> Button:
    if not isinstance(value, Mapping):
        raise ContentError(f"{where}: a button needs a title and a payload")
    title, payload = require_text(value, "title", where), require_text(value, "payload", where)
    return Button(title=title, payload=payload)


def _teach_back(data: Any, where: str) -> TeachBackSpec:
    if not isinstance(data, Mapping):
        raise ContentError(f"{where}: teach_back must be a mapping")
    raw_misconceptions = data.get("misconceptions", [])
    if not isinstance(raw_misconceptions, list):
        raise ContentError(f"{where}: teach_back.misconceptions must be a list")
    misconceptions = tuple(
        Misconception(
            match=require_texts(item, "match", f"{where} misconception", allow_empty=False),
            correction=require_text(item, "correction", f"{where} misconception"),
        )
        for item in raw_misconceptions
        if isinstance(item, Mapping)
    )
    if len(misconceptions) != len(raw_misconceptions):
        raise ContentError(f"{where}: each misconception needs match and correction")
    return TeachBackSpec(
        question=require_text(data, "question", where),
        expect_any=require_texts(data, "expect_any", where, allow_empty=False),
        misconceptions=misconceptions,
        praise=require_text(data, "praise", where),
        nudge=require_text(data, "nudge", where),
    )


def load_topic(path: Path) -> Topic:
    """Read and check one topic file.

    Raises:
        ContentError: a required field is missing or has the wrong type.
    """
    data = read_yaml(path)
    where = path.name
    topic_id = require_text(data, "id", where)
    if topic_id != path.stem:
        raise ContentError(f"{where}: id {topic_id!r} must match the file name")
    intent = data.get("intent")
    if intent is not None and (not isinstance(intent, str) or not intent):
        raise ContentError(f"{where}: intent must be an intent name or null")
    grade = data.get("reading_grade")
    if not isinstance(grade, (int, float)) or isinstance(grade, bool):
        raise ContentError(f"{where}: reading_grade must be a number")
    return Topic(
        id=topic_id,
        title=require_text(data, "title", where),
        key_message=require_text(data, "key_message", where),
        intent=intent,
        parts=require_texts(data, "parts", where, allow_empty=False),
        sms=require_text(data, "sms", where),
        sources=require_texts(data, "sources", where, allow_empty=False),
        review=parse_review(data.get("review"), where),
        related=require_texts(data, "related", where, allow_empty=True),
        reading_grade=float(grade),
        teach_back=_teach_back(data.get("teach_back"), where),
        text_hash=review_hash(data),
    )


def load_store(root: Path = CONTENT_DIR) -> ContentStore:
    """Read every content file under ``root`` and check that ids refer to each other.

    Raises:
        ContentError: a file is malformed, or a related topic, lesson or menu entry
            names a topic that does not exist, or two topics answer the same intent.
    """
    topics: dict[str, Topic] = {}
    for path in sorted((root / "topics").glob("*.yml")):
        topic = load_topic(path)
        topics[topic.id] = topic
    if not topics:
        raise ContentError(f"{root / 'topics'}: no topics found")
    intents: dict[str, str] = {}
    for topic in topics.values():
        for related in topic.related:
            if related not in topics:
                raise ContentError(f"{topic.id}.yml: related topic {related!r} does not exist")
        if topic.intent is not None:
            if topic.intent in intents:
                raise ContentError(
                    f"{topic.id}.yml: intent {topic.intent} is already answered by "
                    f"{intents[topic.intent]}"
                )
            intents[topic.intent] = topic.id
    course = load_course(root / "lessons.yml")
    for lesson in course.lessons:
        if lesson not in topics:
            raise ContentError(f"lessons.yml: lesson {lesson!r} is not a topic")
    ui = read_yaml(root / "ui.yml")
    store = ContentStore(topics=topics, course=course, ui=ui)
    for page in range(len(store.topic_pages())):
        store.topic_list(f"topics.pages.{page}")
    return store


@lru_cache(maxsize=1)
def get_store() -> ContentStore:
    """Return the process-wide content store, loading it on first use."""
    return load_store()

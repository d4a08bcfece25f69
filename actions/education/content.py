"""Typed store of the education content in ``content/``, and the messages built from it.

Every sentence the education actions send comes from the YAML files under ``content/``
(Python holds no patient-facing prose):

- ``content/topics/<id>.yml``: one topic each (parts for chat, an SMS variant, sources,
  review status, related topics and a teach-back check);
- ``content/lessons.yml``: the course order and the words around the lessons;
- ``content/ui.yml``: shared button labels and prompts.

Every content file also carries a clinical ``review`` record (``metadata.review`` in the
files whose settings sit under ``metadata``): ``status`` (``draft`` or ``reviewed``),
``reviewer``, ``registration`` (e.g. an HCPC or GMC number), ``date`` and ``hash``, the
sha256 of the file's normalised reviewed text (:func:`review_hash`). An item counts as
reviewed only while that hash matches its text, so editing a sentence turns it back to
"needs review" without failing any test; ``python -m scripts.content_report`` lists what
awaits clinical review (:func:`review_states`).

The store is read and checked once, on first use, so importing this module does no
work. Actions turn content into :class:`OutgoingMessage` objects with the builder
functions below and send them with ``dispatcher.utter_message(**message.as_kwargs())``::

    from actions.education.content import explain_messages, get_store, placeholder_values

    store = get_store()
    topic = store.topic_for_intent("ask_sleep")
    if topic is not None:
        for message in explain_messages(store, topic, sms=False, values=placeholder_values()):
            dispatcher.utter_message(**message.as_kwargs())

Each message carries a ``content_id`` (for example ``"sleep"``,
``"sleep.teach_back.praise"`` or ``"ui.menu.prompt"``). rasa-sdk passes extra keyword
arguments through to the bot event's metadata, so the tracker records which reviewed
content a patient was shown, and tests can assert on ids instead of prose.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
DOMAIN_PATH = CONTENT_DIR.parent / "domain.yml"

# Placeholders content may use; filled from the settings when a message is sent, so
# another country can configure its own numbers and service names.
PLACEHOLDERS = (
    "emergency_number",
    "crisis_line",
    "crisis_line_name",
    "crisis_text",
    "urgent_advice_line",
)

# libyaml's safe loader when present (the red-flag catalogue is large), else PyYAML's.
_HAS_LIBYAML = hasattr(yaml, "CSafeLoader")

# Review statuses: a draft awaits sign-off; "reviewed" needs the full record below.
STATUS_DRAFT = "draft"
STATUS_REVIEWED = "reviewed"
REVIEW_STATUSES = (STATUS_DRAFT, STATUS_REVIEWED)
SIGN_OFF_FIELDS = ("reviewer", "registration", "date", "hash")


class ContentError(ValueError):
    """Raised when a content file is missing, malformed or refers to unknown ids."""


@dataclass(frozen=True)
class Button:
    """A quick-reply button: the label the patient sees and the intent it sends."""

    title: str
    payload: str

    def as_dict(self) -> dict[str, str]:
        """Return the button in the shape rasa-sdk's ``utter_message`` expects."""
        return {"title": self.title, "payload": self.payload}


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to send: text from content, its content id and optional buttons."""

    text: str
    content_id: str
    buttons: tuple[Button, ...] = ()

    def as_kwargs(self) -> dict[str, Any]:
        """Return keyword arguments for ``CollectingDispatcher.utter_message``."""
        return {
            "text": self.text,
            "buttons": [button.as_dict() for button in self.buttons],
            "content_id": self.content_id,
        }


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
class Review:
    """A content item's clinical review record, as written in its file.

    Attributes:
        status: ``"draft"`` or ``"reviewed"``.
        reviewer: name of the reviewing clinician (``None`` for a draft).
        registration: the reviewer's professional registration, e.g. ``HCPC PH123456``.
        date: ISO date of the sign-off.
        hash: :func:`review_hash` of the text the reviewer signed off.
        drafted: ISO date the current text was drafted, if recorded.
    """

    status: str
    reviewer: str | None = None
    registration: str | None = None
    date: str | None = None
    hash: str | None = None
    drafted: str | None = None

    @property
    def signed_off(self) -> bool:
        """Return whether the record is a complete sign-off (status and every field)."""
        return self.status == STATUS_REVIEWED and all(
            getattr(self, name) for name in SIGN_OFF_FIELDS
        )

    def state(self, current_hash: str) -> str:
        """Return ``"reviewed"``, or why the item needs review, for its text's hash.

        ``"draft"``: never signed off; ``"text changed"``: signed off, but the text is
        not the one that was reviewed.
        """
        if not self.signed_off:
            return STATUS_DRAFT
        return STATUS_REVIEWED if self.hash == current_hash else "text changed"


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
class LessonStep:
    """What the course does next.

    Attributes:
        index: position in the course of the lesson to teach now; ``None`` when the
            course is finished.
        completed: number of lessons finished, the value of the ``learning_lesson``
            slot.
        lead: key in ``lessons.yml`` ``messages`` of the text to send before the
            lesson (``"intro"``, ``"resume"``, ``"restart"``, ``"complete"``), if any.
    """

    index: int | None
    completed: int
    lead: str | None = None


@dataclass(frozen=True)
class Course:
    """The ordered lessons of ``content/lessons.yml`` and the rules for moving on.

    Progress is the number of lessons finished. A lesson counts as finished once its
    teach-back question is answered, or when the patient asks for the next lesson
    while its check is still open.
    """

    lessons: tuple[str, ...]
    messages: Mapping[str, str]
    unsure: tuple[str, ...]

    @property
    def total(self) -> int:
        """Return the number of lessons."""
        return len(self.lessons)

    def index_of(self, topic_id: str | None) -> int | None:
        """Return the position of ``topic_id`` in the course, or ``None``."""
        if topic_id in self.lessons:
            return self.lessons.index(topic_id)
        return None

    def clamp(self, completed: float | None) -> int:
        """Return slot progress as a whole number of lessons within the course."""
        if completed is None:
            return 0
        return max(0, min(int(completed), self.total))

    def start(self, completed: float | None) -> LessonStep:
        """Plan "Learn about pain": begin, resume where the patient left off, or restart.

        Args:
            completed: the ``learning_lesson`` slot (lessons finished so far).
        """
        done = self.clamp(completed)
        if done == 0:
            return LessonStep(index=0, completed=0, lead="intro")
        if done < self.total:
            return LessonStep(index=done, completed=done, lead="resume")
        return LessonStep(index=0, completed=0, lead="restart")

    def next(self, completed: float | None, pending_topic: str | None) -> LessonStep:
        """Plan "Next lesson".

        Args:
            completed: the ``learning_lesson`` slot.
            pending_topic: the ``teach_back_topic`` slot; a lesson whose check is
                still open counts as finished when the patient moves on.
        """
        done = self.finish(completed, pending_topic)
        if done >= self.total:
            return LessonStep(index=None, completed=self.total, lead="complete")
        return LessonStep(index=done, completed=done)

    def finish(self, completed: float | None, topic_id: str | None) -> int:
        """Return progress after the lesson ``topic_id`` is finished.

        Progress never goes back: finishing an earlier lesson again keeps the count.
        """
        done = self.clamp(completed)
        index = self.index_of(topic_id)
        if index is None:
            return done
        return max(done, index + 1)


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
        value: Any = self.ui
        for part in key.split("."):
            if isinstance(value, Mapping) and part in value:
                value = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                raise ContentError(f"ui.yml has no {key}")
        return value


# --- loading and checking --------------------------------------------------------------


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=yaml.CSafeLoader) if _HAS_LIBYAML else yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(f"{path}: cannot read: {error}") from error
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping at the top level")
    return data


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: {key} must be non-empty text")
    return value.strip()


def _texts(data: Mapping[str, Any], key: str, where: str, *, allow_empty: bool) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(f"{where}: {key} must be a list of non-empty texts")
    if not value and not allow_empty:
        raise ContentError(f"{where}: {key} must not be empty")
    return tuple(v.strip() for v in value)


def _button(value: Any, where: str) -> Button:
    if not isinstance(value, Mapping):
        raise ContentError(f"{where}: a button needs a title and a payload")
    return Button(title=_text(value, "title", where), payload=_text(value, "payload", where))


def _teach_back(data: Any, where: str) -> TeachBackSpec:
    if not isinstance(data, Mapping):
        raise ContentError(f"{where}: teach_back must be a mapping")
    raw_misconceptions = data.get("misconceptions", [])
    if not isinstance(raw_misconceptions, list):
        raise ContentError(f"{where}: teach_back.misconceptions must be a list")
    misconceptions = tuple(
        Misconception(
            match=_texts(item, "match", f"{where} misconception", allow_empty=False),
            correction=_text(item, "correction", f"{where} misconception"),
        )
        for item in raw_misconceptions
        if isinstance(item, Mapping)
    )
    if len(misconceptions) != len(raw_misconceptions):
        raise ContentError(f"{where}: each misconception needs match and correction")
    return TeachBackSpec(
        question=_text(data, "question", where),
        expect_any=_texts(data, "expect_any", where, allow_empty=False),
        misconceptions=misconceptions,
        praise=_text(data, "praise", where),
        nudge=_text(data, "nudge", where),
    )


def _iso(value: Any) -> str | None:
    # YAML reads an unquoted 2026-11-23 as a date; keep the ISO text either way.
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return str(value).strip()


def parse_review(data: Any, where: str) -> Review:
    """Read and check a review record.

    A draft may leave the sign-off fields empty (``null``); a ``reviewed`` record needs
    every one of them, so a half-filled sign-off is caught when the content loads.

    Raises:
        ContentError: not a mapping, an unknown status, a missing key, or an
            incomplete sign-off.
    """
    if not isinstance(data, Mapping):
        raise ContentError(f"{where}: review must be a mapping")
    status = _text(data, "status", where)
    if status not in REVIEW_STATUSES:
        raise ContentError(f"{where}: review.status must be one of {REVIEW_STATUSES}")
    for name in SIGN_OFF_FIELDS:
        if name not in data:
            raise ContentError(f"{where}: review.{name} is required (null for a draft)")
    review = Review(
        status=status,
        reviewer=_iso(data.get("reviewer")),
        registration=_iso(data.get("registration")),
        date=_iso(data.get("date")),
        hash=_iso(data.get("hash")),
        drafted=_iso(data.get("drafted")),
    )
    if status == STATUS_REVIEWED and not review.signed_off:
        missing = [name for name in SIGN_OFF_FIELDS if not getattr(review, name)]
        raise ContentError(f"{where}: a reviewed item needs review.{', review.'.join(missing)}")
    return review


# --- review hashes ---------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """Return ``text`` as reviewed: Unicode NFC, runs of white space as one space, trimmed.

    Re-wrapping a paragraph in YAML therefore keeps the hash; changing a word does not.
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def _leaves(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}[{index}]")
    elif value is not None:
        text = _iso(value) if isinstance(value, dt.date) else str(value)
        yield f"{path}={normalise_text(text or '')}"


def reviewed_text(data: Mapping[str, Any], responses: Mapping[str, Any] | None = None) -> str:
    """Return the normalised text a reviewer signs off for one content file.

    That is every value in the file (in file order, one ``path=value`` line each)
    except the review record itself, then the domain responses the file names under
    ``responses`` (for the static safety messages kept in ``domain.yml``).

    Args:
        data: the parsed content file.
        responses: ``domain.yml``'s responses, to add those the file names.
    """
    body = {key: value for key, value in data.items() if key != "review"}
    metadata = body.get("metadata")
    if isinstance(metadata, Mapping) and "review" in metadata:
        body["metadata"] = {key: value for key, value in metadata.items() if key != "review"}
    lines = list(_leaves(body, ""))
    for name in data.get("responses") or []:
        if isinstance(name, str) and responses is not None:
            lines.extend(_leaves(responses.get(name), f"domain.responses.{name}"))
    return "\n".join(lines)


def review_hash(data: Mapping[str, Any], responses: Mapping[str, Any] | None = None) -> str:
    """Return the sha256 (hex) of :func:`reviewed_text`: the value a sign-off records."""
    return hashlib.sha256(reviewed_text(data, responses).encode("utf-8")).hexdigest()


def review_record(data: Mapping[str, Any]) -> Any:
    """Return a content file's review record: ``review``, or ``metadata.review``."""
    if "review" in data:
        return data["review"]
    metadata = data.get("metadata")
    return metadata.get("review") if isinstance(metadata, Mapping) else None


@dataclass(frozen=True)
class ReviewState:
    """Where one content item stands with clinical review.

    Attributes:
        item: the file's path under ``content/`` without ``.yml``, e.g. ``topics/sleep``.
        review: the record in the file (``None`` if it has none or it is malformed).
        current_hash: the hash of the text as it is now.
        state: ``"reviewed"``, ``"draft"``, ``"text changed"``, ``"no review record"``
            or ``"unreadable"`` (the file is not valid YAML).
        problem: why the record could not be read, if it could not.
    """

    item: str
    review: Review | None
    current_hash: str
    state: str
    problem: str = ""

    @property
    def needs_review(self) -> bool:
        """Return whether the item awaits clinical review."""
        return self.state != STATUS_REVIEWED


def load_domain_responses(path: Path = DOMAIN_PATH) -> dict[str, Any]:
    """Return ``domain.yml``'s responses (empty when there is no domain)."""
    if not path.exists():
        return {}
    responses = _read_yaml(path).get("responses") or {}
    return dict(responses) if isinstance(responses, Mapping) else {}


def review_state(
    path: Path, root: Path = CONTENT_DIR, responses: Mapping[str, Any] | None = None
) -> ReviewState:
    """Return the review state of the content file at ``path``.

    Never raises for a bad record: a report must list every item, so a malformed
    record is shown as needing review, with the problem.
    """
    item = path.relative_to(root).with_suffix("").as_posix()
    try:
        data = _read_yaml(path)
    except ContentError as error:
        return ReviewState(item, None, "", "unreadable", str(error).splitlines()[0])
    current = review_hash(data, responses)
    raw = review_record(data)
    if raw is None:
        return ReviewState(item, None, current, "no review record")
    try:
        review = parse_review(raw, path.name)
    except ContentError as error:
        return ReviewState(item, None, current, "no review record", str(error))
    return ReviewState(item, review, current, review.state(current))


def review_states(root: Path = CONTENT_DIR, domain_path: Path | None = None) -> list[ReviewState]:
    """Return the review state of every content file under ``root``, sorted by item.

    Args:
        root: the content folder.
        domain_path: ``domain.yml`` (default: beside ``root``), for files that name
            domain responses.
    """
    responses = load_domain_responses(domain_path or root.parent / "domain.yml")
    paths = sorted([*root.glob("*.yml"), *(root / "topics").glob("*.yml")])
    return sorted((review_state(path, root, responses) for path in paths), key=lambda s: s.item)


def load_topic(path: Path) -> Topic:
    """Read and check one topic file.

    Raises:
        ContentError: a required field is missing or has the wrong type.
    """
    data = _read_yaml(path)
    where = path.name
    topic_id = _text(data, "id", where)
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
        title=_text(data, "title", where),
        key_message=_text(data, "key_message", where),
        intent=intent,
        parts=_texts(data, "parts", where, allow_empty=False),
        sms=_text(data, "sms", where),
        sources=_texts(data, "sources", where, allow_empty=False),
        review=parse_review(data.get("review"), where),
        related=_texts(data, "related", where, allow_empty=True),
        reading_grade=float(grade),
        teach_back=_teach_back(data.get("teach_back"), where),
        text_hash=review_hash(data),
    )


def load_course(path: Path) -> Course:
    """Read and check ``lessons.yml`` (ids are checked against topics by the store)."""
    data = _read_yaml(path)
    where = path.name
    messages = data.get("messages")
    if not isinstance(messages, Mapping):
        raise ContentError(f"{where}: messages must be a mapping")
    teach_back = data.get("teach_back", {})
    if not isinstance(teach_back, Mapping):
        raise ContentError(f"{where}: teach_back must be a mapping")
    return Course(
        lessons=_texts(data, "lessons", where, allow_empty=False),
        messages={key: _text(messages, key, where) for key in messages},
        unsure=_texts(teach_back, "unsure", where, allow_empty=True),
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
    ui = _read_yaml(root / "ui.yml")
    store = ContentStore(topics=topics, course=course, ui=ui)
    for page in range(len(store.topic_pages())):
        store.topic_list(f"topics.pages.{page}")
    return store


@lru_cache(maxsize=1)
def get_store() -> ContentStore:
    """Return the process-wide content store, loading it on first use."""
    return load_store()


def placeholder_values() -> dict[str, str]:
    """Return the values for content placeholders, from the product settings."""
    # Imported here so that the content store itself can be used without settings.
    from bot.settings import get_settings

    settings = get_settings()
    return {name: str(getattr(settings, name)) for name in PLACEHOLDERS}


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace ``{name}`` placeholders in ``text`` with ``values``.

    Plain replacement instead of ``str.format`` so that a stray brace in content
    cannot break a reply. Course texts also use ``{number}``, ``{total}`` and
    ``{title}``.
    """
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


# --- message builders ------------------------------------------------------------------


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

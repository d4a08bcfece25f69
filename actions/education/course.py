"""The pain course: the ordered lessons of ``content/lessons.yml`` and how to move on.

Progress is the number of lessons finished, the value of the ``learning_lesson`` slot::

    course = load_course(CONTENT_DIR / "lessons.yml")
    step = course.start(completed=2)  # LessonStep(index=2, completed=2, lead="resume")

No Rasa imports here; the lessons' words are built by :mod:`actions.education.messages`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from actions.common.content import ContentError, read_yaml, require_text, require_texts


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


def load_course(path: Path) -> Course:
    """Read and check ``lessons.yml`` (ids are checked against topics by the store)."""
    data = read_yaml(path)
    where = path.name
    messages = data.get("messages")
    if not isinstance(messages, Mapping):
        raise ContentError(f"{where}: messages must be a mapping")
    teach_back = data.get("teach_back", {})
    if not isinstance(teach_back, Mapping):
        raise ContentError(f"{where}: teach_back must be a mapping")
    return Course(
        lessons=require_texts(data, "lessons", where, allow_empty=False),
        messages={key: require_text(messages, key, where) for key in messages},
        unsure=require_texts(teach_back, "unsure", where, allow_empty=True),
    )

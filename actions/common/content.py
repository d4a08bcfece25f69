"""The one loader of patient-facing words: ``content/*.yml`` files and the messages made from them.

Python holds no patient-facing prose: every feature reads its words from a file under
``content/`` through :class:`ContentFile`, and sends them as :class:`OutgoingMessage`
objects (see :func:`actions.common.send.send`). Each message carries a ``content_id``
naming the content it came from, so the tracker records which reviewed words a patient
was shown, and tests assert on ids instead of prose::

    pacing = get_content("pacing")
    message = pacing.message("ask.pacing_unit", sms=on_sms(tracker))
    send(dispatcher, message)  # content_id "pacing.ask.pacing_unit"

Files are read on first use (:func:`get_content` caches them), never at import time.
Nothing here imports Rasa, so plain logic may use :func:`fill` too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
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

# Twilio splits longer texts into several billed parts; two parts hold 306 characters.
SMS_LIMIT = 306

# libyaml's safe loader when present (the red-flag catalogue is large), else PyYAML's.
_HAS_LIBYAML = hasattr(yaml, "CSafeLoader")


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
    """One message to send: text from content, its content id and optional buttons.

    ``content_id`` is ``None`` only for the check-in's plain texts, which have never
    carried one; the message is then sent without it.
    """

    text: str
    content_id: str | None = None
    buttons: tuple[Button, ...] = ()

    def as_kwargs(self) -> dict[str, Any]:
        """Return keyword arguments for ``CollectingDispatcher.utter_message``."""
        kwargs: dict[str, Any] = {
            "text": self.text,
            "buttons": [button.as_dict() for button in self.buttons],
        }
        if self.content_id is not None:
            kwargs["content_id"] = self.content_id
        return kwargs


def read_yaml(path: Path) -> dict[str, Any]:
    """Return the YAML mapping in the file at ``path``.

    Raises:
        ContentError: the file is missing, not YAML, or not a mapping at the top level.
    """
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=yaml.CSafeLoader) if _HAS_LIBYAML else yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(f"{path}: cannot read: {error}") from error
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping at the top level")
    return data


def require_text(data: Mapping[str, Any], key: str, where: str) -> str:
    """Return the non-empty text at ``data[key]``, trimmed.

    Raises:
        ContentError: it is missing, empty or not a text.
    """
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: {key} must be non-empty text")
    return value.strip()


def require_texts(
    data: Mapping[str, Any], key: str, where: str, *, allow_empty: bool
) -> tuple[str, ...]:
    """Return the list of non-empty texts at ``data[key]`` (missing is an empty list).

    Raises:
        ContentError: it is not a list of non-empty texts, or empty when not allowed.
    """
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(f"{where}: {key} must be a list of non-empty texts")
    if not value and not allow_empty:
        raise ContentError(f"{where}: {key} must not be empty")
    return tuple(v.strip() for v in value)


def fill(template: str, values: Mapping[str, object]) -> str:
    """Replace ``{name}`` placeholders in ``template`` with ``values``.

    Plain replacement instead of ``str.format`` so that a stray brace in content
    cannot break a reply.
    """
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def placeholder_values() -> dict[str, str]:
    """Return the values for content placeholders, from the product settings."""
    # Imported here so that content can be read without settings.
    from bot.settings import get_settings

    settings = get_settings()
    return {name: str(getattr(settings, name)) for name in PLACEHOLDERS}


@dataclass(frozen=True)
class ContentFile:
    """The words of one conversation, read from a ``content/*.yml`` file.

    Keys are dotted paths (``"ask.pacing_unit"``); a number picks from a list. A text
    is either a string or a mapping with ``text`` and an optional ``sms`` variant.
    Messages carry ``content_id`` ``"<name>.<key>"``.
    """

    name: str
    data: Mapping[str, Any]

    @classmethod
    def load(cls, path: Path, name: str) -> ContentFile:
        """Read a content file.

        Raises:
            ContentError: the file is missing or not a YAML mapping.
        """
        return cls(name=name, data=read_yaml(path))

    def node(self, key: str) -> Any:
        """Return the raw value at a dotted ``key``.

        Raises:
            ContentError: there is no such key.
        """
        value: Any = self.data
        for part in key.split("."):
            if isinstance(value, Mapping) and part in value:
                value = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                raise ContentError(f"{self.name}.yml has no {key}")
        return value

    def text(
        self, key: str, values: Mapping[str, object] | None = None, *, sms: bool = False
    ) -> str:
        """Return the text at ``key`` (its SMS variant if asked and present), filled in."""
        value = self.node(key)
        if isinstance(value, Mapping):
            value = value.get("sms") if sms and "sms" in value else value.get("text")
        if not isinstance(value, str) or not value.strip():
            raise ContentError(f"{self.name}.yml: {key} is not a text")
        return fill(" ".join(value.split()), {**placeholder_values(), **(values or {})})

    def texts(self, key: str) -> dict[str, str]:
        """Return the mapping of plain texts at ``key`` (layout templates, labels)."""
        value = self.node(key)
        if not isinstance(value, Mapping):
            raise ContentError(f"{self.name}.yml: {key} is not a mapping")
        return {str(k): str(v) for k, v in value.items() if isinstance(v, (str, int, float))}

    def buttons(self, *keys: str) -> tuple[Button, ...]:
        """Return the buttons at each of ``keys`` in turn: a button, or a list of buttons."""
        buttons = []
        for key in keys:
            value = self.node(key)
            for item in value if isinstance(value, list) else [value]:
                if not isinstance(item, Mapping) or "title" not in item or "payload" not in item:
                    raise ContentError(f"{self.name}.yml: {key} needs a title and a payload")
                buttons.append(Button(title=str(item["title"]), payload=str(item["payload"])))
        return tuple(buttons)

    def message(
        self,
        key: str,
        values: Mapping[str, object] | None = None,
        *,
        sms: bool = False,
        buttons: Sequence[Button] = (),
    ) -> OutgoingMessage:
        """Return the text at ``key`` as a message with ``content_id`` ``<name>.<key>``."""
        return OutgoingMessage(
            self.text(key, values, sms=sms), f"{self.name}.{key}", tuple(buttons)
        )


@cache
def get_content(file: str, name: str | None = None) -> ContentFile:
    """Return the words in ``content/<file>.yml``, read on first use.

    Args:
        file: the file's name without ``.yml``.
        name: the prefix of the content ids (default: ``file``).
    """
    return ContentFile.load(CONTENT_DIR / f"{file}.yml", name or file)

"""Clinical review of content: the review record in each file and the hash it signs.

Every content file carries a clinical ``review`` record (``metadata.review`` in the
files whose settings sit under ``metadata``): ``status`` (``draft`` or ``reviewed``),
``reviewer``, ``registration`` (e.g. an HCPC or GMC number), ``date`` and ``hash``, the
sha256 of the file's normalised reviewed text (:func:`review_hash`; for an exercise,
with its drawing). An item counts as reviewed only while that hash matches its text, so
editing a sentence turns it back to "needs review" without failing any test;
``python -m scripts.content_report`` lists what awaits clinical review
(:func:`review_states`) in ``content/``, ``content/topics/`` and ``content/exercises/``::

    for state in review_states():
        if state.needs_review:
            print(state.item, state.state)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actions.common.content import (
    CONTENT_DIR,
    DOMAIN_PATH,
    ContentError,
    read_yaml,
    require_text,
)

# Review statuses: a draft awaits sign-off; "reviewed" needs the full record below.
STATUS_DRAFT = "draft"
STATUS_REVIEWED = "reviewed"
REVIEW_STATUSES = (STATUS_DRAFT, STATUS_REVIEWED)
SIGN_OFF_FIELDS = ("reviewer", "registration", "date", "hash")
# The folders under content/ whose every YAML file is a reviewed item.
REVIEWED_FOLDERS = (".", "topics", "exercises")


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
    status = require_text(data, "status", where)
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


def illustration_line(data: Mapping[str, Any], base: Path) -> str | None:
    """Return the reviewed line for the file's illustration, or ``None`` if it has none.

    A reviewer signs off the drawing with the words, so the line holds the sha256 of the
    SVG file named by ``illustration.path`` (relative to ``base``), or says it is missing.
    """
    illustration = data.get("illustration")
    if not isinstance(illustration, Mapping) or not isinstance(illustration.get("path"), str):
        return None
    path = base / illustration["path"]
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        digest = "missing"
    return f"illustration.file={digest}"


def reviewed_text(
    data: Mapping[str, Any],
    responses: Mapping[str, Any] | None = None,
    base: Path | None = None,
) -> str:
    """Return the normalised text a reviewer signs off for one content file.

    That is every value in the file (in file order, one ``path=value`` line each)
    except the review record itself, then the domain responses the file names under
    ``responses`` (for the static safety messages kept in ``domain.yml``), then, for a
    file with an ``illustration``, the hash of its drawing (:func:`illustration_line`).

    Args:
        data: the parsed content file.
        responses: ``domain.yml``'s responses, to add those the file names.
        base: the file's folder, to find its illustration (``None``: not hashed).
    """
    body = {key: value for key, value in data.items() if key != "review"}
    metadata = body.get("metadata")
    if isinstance(metadata, Mapping) and "review" in metadata:
        body["metadata"] = {key: value for key, value in metadata.items() if key != "review"}
    lines = list(_leaves(body, ""))
    for name in data.get("responses") or []:
        if isinstance(name, str) and responses is not None:
            lines.extend(_leaves(responses.get(name), f"domain.responses.{name}"))
    drawing = illustration_line(data, base) if base is not None else None
    if drawing is not None:
        lines.append(drawing)
    return "\n".join(lines)


def review_hash(
    data: Mapping[str, Any],
    responses: Mapping[str, Any] | None = None,
    base: Path | None = None,
) -> str:
    """Return the sha256 (hex) of :func:`reviewed_text`: the value a sign-off records."""
    return hashlib.sha256(reviewed_text(data, responses, base).encode("utf-8")).hexdigest()


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
    responses = read_yaml(path).get("responses") or {}
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
        data = read_yaml(path)
    except ContentError as error:
        return ReviewState(item, None, "", "unreadable", str(error).splitlines()[0])
    current = review_hash(data, responses, path.parent)
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
    paths = sorted(path for folder in REVIEWED_FOLDERS for path in (root / folder).glob("*.yml"))
    return sorted((review_state(path, root, responses) for path in paths), key=lambda s: s.item)

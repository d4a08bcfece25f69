"""Value types the red-flag detector returns.

The Rasa NLU component and the CLI only ever see these types: a :class:`Tier` per
message (the highest tier of any finding), the :class:`Finding` list with the words that
triggered each flag, whether the message was a hypothetical question about warning
signs, and the id of a clarifying question to ask when the words suggest but do not
establish a red flag. ``Assessment.to_json`` is the wire format of ``python -m bot.safety``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, NamedTuple

_RANK = {"none": 0, "soon": 1, "urgent": 2, "emergency": 3}


class Tier(str, Enum):
    """Urgent-care tier, ordered so that ``max()`` gives the most urgent one."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SOON = "soon"
    NONE = "none"

    @property
    def rank(self) -> int:
        """Return 0 for none up to 3 for emergency."""
        return _RANK[self.value]

    # ``str`` already defines alphabetical comparisons, so all four are overridden
    # explicitly (functools.total_ordering would keep the inherited ones).
    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Tier):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Tier):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Tier):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Tier):
            return NotImplemented
        return self.rank >= other.rank

    def __hash__(self) -> int:
        return hash(self.value)


@dataclass(frozen=True)
class Finding:
    """One red flag found in a message.

    Attributes:
        id: flag id from the catalogue, e.g. ``cauda_equina_bladder``.
        tier: the flag's tier.
        evidence: the words of the message that triggered it.
    """

    id: str
    tier: Tier
    evidence: str

    def to_json(self) -> dict[str, str]:
        """Return the finding as a JSON-ready dict."""
        return {"id": self.id, "tier": self.tier.value, "evidence": self.evidence}


@dataclass(frozen=True)
class Assessment:
    """The detector's verdict on one message.

    Attributes:
        text: the message as received.
        tier: highest tier of any finding, ``Tier.NONE`` when there is none.
        findings: every finding, most urgent first.
        warning_sign_question: the message asks hypothetically about warning signs
            ("what if I lose bladder control?"); such mentions are not findings.
        ask: id of the clarifying question (``asks`` in the catalogue) to put to the
            patient when the message suggests but does not establish a red flag
            ("my legs feel funny" -> ``leg_weakness``). Only set when ``tier`` is none:
            a finding always wins.
        degraded: the message could not be read normally (an internal error was logged
            and a simplified reading of the text was used instead).
        about_someone_else: the findings are a relative's, told as happening now
            ("Dad's had a temperature and chills since lunchtime"); the reply adds a
            line for the person writing about them.
    """

    text: str
    tier: Tier
    findings: tuple[Finding, ...]
    warning_sign_question: bool = False
    ask: str | None = None
    degraded: bool = False
    about_someone_else: bool = False

    @property
    def flag_ids(self) -> tuple[str, ...]:
        """Return the ids of all findings."""
        return tuple(finding.id for finding in self.findings)

    def to_json(self) -> dict[str, Any]:
        """Return the assessment as a JSON-ready dict."""
        return {
            "text": self.text,
            "tier": self.tier.value,
            "flags": [finding.to_json() for finding in self.findings],
            "warning_sign_question": self.warning_sign_question,
            "ask": self.ask,
            "about_someone_else": self.about_someone_else,
        }


class Opinion(NamedTuple):
    """The second opinion's reading of one message.

    Attributes:
        ask: the ask id it proposes, or None below its threshold.
        confident: the probability reached the escalation threshold: the detector
            escalates to the ask's flag instead of asking.
        probability: the probability of the proposed (or top) class.
    """

    ask: str | None
    confident: bool
    probability: float

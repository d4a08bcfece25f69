"""Red-flag detection for the back-pain assistant (pure Python on spaCy, no Rasa).

Public API used by the Rasa NLU component, the CLI and the report::

    from bot.safety import RedFlagDetector, Tier

    detector = RedFlagDetector.from_catalogue()      # content/red_flags.yml
    assessment = detector.detect("cant feel my bum when i wipe")
    assessment.tier                                  # Tier.EMERGENCY
    assessment.to_json()                             # {"text", "tier", "flags", "ask", ...}
    detector.detect("my legs feel funny").ask        # "leg_weakness": ask, don't alarm
    detector.detect_conversation(["been having accidents", "with my bladder I mean"]).tier
                                                     # Tier.EMERGENCY on the second turn

Clinicians maintain the concept lexicons, frames and clarifying questions in
``content/red_flags.yml``; see :mod:`bot.safety.catalogue` for its format,
:mod:`bot.safety.classifier` for the learned second opinion and
:mod:`bot.safety.report` for the figures (``python -m bot.safety.report``).
``RedFlagDetector`` is imported lazily so that ``python -m bot.safety`` can keep
spaCy's optional TensorFlow probe away first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.safety.catalogue import load_catalogue
from bot.safety.entries import Catalogue, CatalogueError
from bot.safety.model import Assessment, Finding, Tier

if TYPE_CHECKING:
    from bot.safety.detector import RedFlagDetector

__all__ = [
    "Assessment",
    "Catalogue",
    "CatalogueError",
    "Finding",
    "RedFlagDetector",
    "Tier",
    "load_catalogue",
]


def __getattr__(name: str) -> Any:
    """Import the detector (and with it spaCy) on first use."""
    if name == "RedFlagDetector":
        from bot.safety.detector import RedFlagDetector

        return RedFlagDetector
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Learned second opinion for the red-flag detector (placeholder, built in a later step)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.safety.catalogue import Catalogue


def load_second_opinion(catalogue: Catalogue, path: Path | None = None) -> Any:
    """Return the configured second opinion, or None."""
    return None

from __future__ import annotations

import pytest

from bot.safety import RedFlagDetector


@pytest.fixture(scope="session")
def detector() -> RedFlagDetector:
    return RedFlagDetector.from_catalogue()

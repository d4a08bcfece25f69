"""Shared fixtures for the content tests: offline reading grades (:mod:`tests.readability`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.readability import reading_grade, syllable_backend


@pytest.fixture(scope="session")
def grade() -> Callable[[str], float]:
    return reading_grade


@pytest.fixture(scope="session")
def grade_backend() -> str:
    """Name the pronouncing dictionary in use; grades are recorded with the CMU one."""
    return syllable_backend()

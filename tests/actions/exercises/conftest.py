"""Fixtures of the exercise programme's action tests."""

import pytest

from actions.exercises.store import get_exercise_store
from bot.reminders.store import get_reminder_store
from bot.settings import get_settings


@pytest.fixture
def exercise_store(tmp_path, monkeypatch):
    """Point settings and the exercise store at a fresh SQLite file for one test."""
    monkeypatch.setenv("BACKCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'backcare.db'}")
    monkeypatch.setenv("BACKCARE_EMERGENCY_NUMBER", "112")
    get_settings.cache_clear()
    get_exercise_store.cache_clear()
    get_reminder_store.cache_clear()
    yield get_exercise_store()
    get_settings.cache_clear()
    get_exercise_store.cache_clear()
    get_reminder_store.cache_clear()

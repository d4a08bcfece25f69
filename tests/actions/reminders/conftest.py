"""Fixtures of the reminders' action tests."""

import pytest

from bot.reminders.store import get_reminder_store
from bot.settings import get_settings


@pytest.fixture
def reminder_store(tmp_path, monkeypatch):
    """Point settings and the reminder store at a fresh SQLite file for one test.

    The patients' zone is UK time and the quiet hours 21:00 to 08:00 (the defaults).
    """
    monkeypatch.setenv("BACKCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'backcare.db'}")
    monkeypatch.delenv("BACKCARE_TIME_ZONE", raising=False)
    monkeypatch.delenv("BACKCARE_REMINDER_QUIET_HOURS", raising=False)
    get_settings.cache_clear()
    get_reminder_store.cache_clear()
    yield get_reminder_store()
    get_settings.cache_clear()
    get_reminder_store.cache_clear()

"""Fixtures shared by the action tests."""

import pytest

from actions.pacing.store import get_plans_store
from bot.settings import get_settings


@pytest.fixture
def plans_database(tmp_path, monkeypatch):
    """Point settings and the plan store at a fresh SQLite file for one test."""
    monkeypatch.setenv("BACKCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'backcare.db'}")
    monkeypatch.setenv("BACKCARE_EMERGENCY_NUMBER", "112")
    get_settings.cache_clear()
    get_plans_store.cache_clear()
    yield
    get_settings.cache_clear()
    get_plans_store.cache_clear()


@pytest.fixture
def store(plans_database):
    """Return the plan store on the test's database."""
    return get_plans_store()

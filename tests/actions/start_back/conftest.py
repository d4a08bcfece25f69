"""Fixtures of the STarT Back action tests."""

import pytest

from actions.start_back.store import get_start_back_store
from bot.settings import get_settings


@pytest.fixture
def start_back_store(tmp_path, monkeypatch):
    """Point settings and the STarT Back store at a fresh SQLite file for one test."""
    monkeypatch.setenv("BACKCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'backcare.db'}")
    get_settings.cache_clear()
    get_start_back_store.cache_clear()
    yield get_start_back_store()
    get_settings.cache_clear()
    get_start_back_store.cache_clear()

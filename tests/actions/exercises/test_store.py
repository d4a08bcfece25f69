"""The exercise store: one programme per patient, one log row per patient per day."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from actions.exercises.parsing import LogEntry
from actions.exercises.store import ExerciseStore

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
DAY = date(2026, 11, 28)
THREE = ("bridge", "cat_cow", "bird_dog")


@pytest.fixture
def store(tmp_path):
    return ExerciseStore.from_url(f"sqlite:///{tmp_path / 'exercises' / 'backcare.db'}")


def test_saved_programme_comes_back_whole(store):
    saved = store.save_programme("p1", THREE, now=T0)
    assert store.programme("p1") == saved
    assert saved.exercises == THREE
    assert not saved.starter
    assert saved.updated_at == T0
    assert store.programme("nobody") is None


def test_choosing_again_replaces_the_programme(store):
    store.save_programme("p1", THREE, now=T0)
    store.save_programme("p2", THREE, now=T0)
    new = ("pelvic_tilt", "knee_to_chest", "walking_programme")
    store.save_programme("p1", new, starter=True, now=T0 + timedelta(days=1))
    found = store.programme("p1")
    assert found is not None
    assert found.exercises == new
    assert found.starter
    assert store.programme("p2").exercises == THREE


def test_one_row_per_day_and_a_later_log_replaces_it(store):
    store.save_log("p1", LogEntry(DAY, 2, 4))
    store.save_log("p1", LogEntry(DAY - timedelta(days=1), 0, 4, "hurt"))
    store.save_log("p1", LogEntry(DAY, 4, 4))
    store.save_log("p2", LogEntry(DAY, 1, None))
    assert store.logs("p1") == [
        LogEntry(DAY - timedelta(days=1), 0, 4, "hurt"),
        LogEntry(DAY, 4, 4),
    ]
    assert store.logs("p2") == [LogEntry(DAY, 1, None)]
    assert store.logs("nobody") == []


def test_logs_since_a_day_oldest_first(store):
    for back in (9, 0, 3, 6, 7):
        store.save_log("p1", LogEntry(DAY - timedelta(days=back), 1, 3))
    days = [entry.day for entry in store.logs("p1", since=DAY - timedelta(days=6))]
    assert days == [DAY - timedelta(days=6), DAY - timedelta(days=3), DAY]


def test_delete_patient_removes_programme_and_log(store):
    store.save_programme("p1", THREE)
    store.save_log("p1", LogEntry(DAY, 1, 3))
    store.save_programme("p2", THREE)
    store.delete_patient("p1")
    assert store.programme("p1") is None
    assert store.logs("p1") == []
    assert store.programme("p2") is not None


def test_data_survives_a_new_store_on_the_same_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'backcare.db'}"
    ExerciseStore.from_url(url).save_programme("p1", THREE, now=T0)
    ExerciseStore.from_url(url).save_log("p1", LogEntry(DAY, 3, 3))
    again = ExerciseStore.from_url(url)
    assert again.programme("p1").exercises == THREE
    assert again.logs("p1") == [LogEntry(DAY, 3, 3)]


def test_tables_are_created_lazily_not_at_import(tmp_path):
    db = tmp_path / "lazy" / "backcare.db"
    import actions.exercises.store  # noqa: F401

    assert not db.exists()
    ExerciseStore.from_url(f"sqlite:///{db}")
    assert db.exists()


@pytest.mark.postgres
def test_exercise_store_on_postgresql(postgres_url):
    store = ExerciseStore.from_url(postgres_url)
    patient = f"pytest-{uuid.uuid4().hex[:12]}"
    try:
        store.save_programme(patient, THREE, now=T0)
        store.save_programme(patient, (*THREE[:2], "sit_to_stand"), now=T0)
        store.save_log(patient, LogEntry(DAY, 1, 3))
        store.save_log(patient, LogEntry(DAY, 3, 3, None))
        store.save_log(patient, LogEntry(DAY - timedelta(days=1), 0, 3, "hurt"))
        again = ExerciseStore.from_url(postgres_url)
        assert again.programme(patient).exercises == ("bridge", "cat_cow", "sit_to_stand")
        assert again.logs(patient) == [
            LogEntry(DAY - timedelta(days=1), 0, 3, "hurt"),
            LogEntry(DAY, 3, 3),
        ]
    finally:
        store.delete_patient(patient)

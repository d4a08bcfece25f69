"""The STarT Back store: one row per completed questionnaire, per patient."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from actions.start_back.scoring import score
from actions.start_back.store import StartBackStore

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
MEDIUM = score((1, 0, 1, 1, 0, 1, 0, 0, 3))
LOW = score((0,) * 9)


def test_results_come_back_whole_oldest_first(tmp_path):
    store = StartBackStore.from_url(f"sqlite:///{tmp_path / 'sb' / 'backcare.db'}")
    assert store.results("p1") == [] and store.latest("p1") is None
    assert not store.has_result("p1")
    first = store.save("p1", MEDIUM, now=T0)
    store.save("p2", LOW, now=T0)
    later = store.save("p1", LOW, now=T0 + timedelta(days=30))
    assert store.results("p1") == [first, later]
    assert store.latest("p1") == later
    assert store.latest("p1").completed_at == T0 + timedelta(days=30)
    assert store.results("p1")[0].result == MEDIUM
    assert store.has_result("p1") and store.has_result("p2")


def test_a_patients_results_can_be_deleted(tmp_path):
    store = StartBackStore.from_url(f"sqlite:///{tmp_path / 'backcare.db'}")
    store.save("p1", MEDIUM, now=T0)
    store.save("p2", LOW, now=T0)
    store.delete_patient("p1")
    assert store.results("p1") == []
    assert len(store.results("p2")) == 1

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from actions.flare_ups.plan import FlarePlan
from actions.pacing.plan import build_plan
from actions.pacing.store import PlansStore

from ..examples import FLARE_PLAN

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)

WALKING = build_plan("walking", "minutes", 20, 10)  # 10, 11, ... 17
SITTING = build_plan("sitting", "minutes", 30, 20, goal=22)  # 20, 22
FLARE = FLARE_PLAN


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'plans' / 'backcare.db'}"


@pytest.fixture
def store(url):
    return PlansStore.from_url(url)


def test_saved_plan_comes_back_whole(store):
    saved = store.save_pacing_plan("p1", WALKING, now=T0)
    [found] = store.pacing_plans("p1")
    assert found.plan == WALKING
    assert found.current_week == 0
    assert found.updated_at == T0
    assert found == saved
    assert found.this_week == 10


def test_plans_are_kept_per_patient_and_activity(store):
    store.save_pacing_plan("p1", WALKING, now=T0)
    store.save_pacing_plan("p1", SITTING, now=T0 + timedelta(seconds=1))
    store.save_pacing_plan("p2", WALKING, now=T0)
    assert [s.activity for s in store.pacing_plans("p1")] == ["sitting", "walking"]
    assert [s.activity for s in store.pacing_plans("p2")] == ["walking"]
    assert store.pacing_plans("nobody") == []
    assert store.find_pacing_plan("p1", "sitting").plan == SITTING
    assert store.find_pacing_plan("p1", "gardening") is None


def test_saving_an_activity_again_replaces_it_at_week_one(store):
    store.save_pacing_plan("p1", WALKING, now=T0)
    store.move_week("p1", "walking", +2, now=T0)
    new = build_plan("walking", "minutes", 30, 30)
    store.save_pacing_plan("p1", new, now=T0 + timedelta(days=1))
    [found] = store.pacing_plans("p1")
    assert found.plan == new
    assert found.current_week == 0


def test_move_week_stays_within_the_plan(store):
    store.save_pacing_plan("p1", SITTING, now=T0)
    assert store.move_week("p1", "sitting", -1, now=T0).current_week == 0
    moved = store.move_week("p1", "sitting", +1, now=T0 + timedelta(days=7))
    assert (moved.current_week, moved.this_week, moved.is_last_week) == (1, 22, True)
    assert store.move_week("p1", "sitting", +1, now=T0).current_week == 1
    assert store.move_week("p1", "gardening", +1) is None


def test_moving_a_plan_makes_it_the_most_recent(store):
    store.save_pacing_plan("p1", WALKING, now=T0)
    store.save_pacing_plan("p1", SITTING, now=T0 + timedelta(seconds=1))
    store.move_week("p1", "walking", +1, now=T0 + timedelta(days=7))
    assert [s.activity for s in store.pacing_plans("p1")] == ["walking", "sitting"]


def test_plans_survive_a_restart(url):
    first = PlansStore.from_url(url)
    first.save_pacing_plan("p1", WALKING, now=T0)
    first.move_week("p1", "walking", +3, now=T0)
    first.save_flare_plan("p1", FLARE, now=T0)
    second = PlansStore.from_url(url)
    [found] = second.pacing_plans("p1")
    assert (found.plan, found.current_week, found.this_week) == (WALKING, 3, 13)
    assert second.flare_plan("p1") == FLARE


def test_delete_pacing_plan(store):
    store.save_pacing_plan("p1", WALKING)
    assert store.delete_pacing_plan("p1", "walking")
    assert not store.delete_pacing_plan("p1", "walking")
    assert store.pacing_plans("p1") == []


def test_own_activity_names_with_quotes_are_stored_safely(store):
    plan = build_plan("playing 'catch'; drop table", "minutes", 10, 5)
    store.save_pacing_plan("p1", plan)
    assert store.find_pacing_plan("p1", "playing 'catch'; drop table").plan == plan


def test_flare_plan_is_saved_replaced_and_kept_per_patient(store):
    assert store.flare_plan("p1") is None
    store.save_flare_plan("p1", FLARE, now=T0)
    changed = FlarePlan(**{**FLARE.answers(), "helps": "Warm bath"})
    store.save_flare_plan("p1", changed, now=T0 + timedelta(days=1))
    assert store.flare_plan("p1") == changed
    assert store.flare_plan("p2") is None
    assert store.delete_flare_plan("p1")
    assert not store.delete_flare_plan("p1")
    assert store.flare_plan("p1") is None


def test_tables_are_created_lazily_not_at_import(tmp_path):
    db = tmp_path / "lazy" / "backcare.db"
    import actions.pacing.store  # noqa: F401

    assert not db.exists()
    PlansStore.from_url(f"sqlite:///{db}")
    assert db.exists()


@pytest.mark.postgres
def test_plans_store_on_postgresql(postgres_url):
    store = PlansStore.from_url(postgres_url)
    patient = f"pytest-{uuid.uuid4().hex[:12]}"
    try:
        store.save_pacing_plan(patient, WALKING, now=T0)
        store.save_pacing_plan(patient, SITTING, now=T0 + timedelta(seconds=1))
        moved = store.move_week(patient, "walking", +1, now=T0 + timedelta(days=7))
        assert moved is not None
        assert moved.this_week == 11
        plans = store.pacing_plans(patient)
        assert [s.activity for s in plans] == ["walking", "sitting"]
        assert plans[0].updated_at == T0 + timedelta(days=7)
        store.save_flare_plan(patient, FLARE, now=T0)
        assert PlansStore.from_url(postgres_url).flare_plan(patient) == FLARE
    finally:
        store.delete_pacing_plan(patient, "walking")
        store.delete_pacing_plan(patient, "sitting")
        store.delete_flare_plan(patient)

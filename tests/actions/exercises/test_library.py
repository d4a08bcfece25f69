"""The exercise library loader: typed records, the checks that refuse broken files, rendering."""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.common.content import CONTENT_DIR, SMS_LIMIT, ContentError
from actions.common.review import review_state
from actions.exercises.library import (
    Dose,
    compare_doses,
    dose_text,
    exercise_message,
    get_library,
    load_library,
    render_chat,
    render_sms,
)

LIBRARY = load_library()
LAYOUT = LIBRARY.layout


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """Return a copy of content/ that a test may break."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    return root


def edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


# --- loading -----------------------------------------------------------------------------


def test_the_library_loads_every_file_with_its_id() -> None:
    files = sorted(p.stem for p in (CONTENT_DIR / "exercises").glob("*.yml"))
    assert list(LIBRARY.ids()) == files
    bridge = LIBRARY.exercise("bridge")
    assert bridge.id == "bridge"
    assert bridge.dose == Dose(reps=5, hold_seconds=3, per_day=1)
    assert bridge.illustration.path == CONTENT_DIR / "exercises" / "images" / "bridge.svg"
    assert bridge.review.status in {"draft", "reviewed"}


def test_an_unknown_id_is_refused() -> None:
    with pytest.raises(ContentError, match="unknown exercise 'yoga_flow'"):
        LIBRARY.exercise("yoga_flow")


def test_the_library_is_read_once() -> None:
    get_library.cache_clear()
    assert get_library() is get_library()
    get_library.cache_clear()


def test_the_loader_and_the_report_agree_on_the_hash() -> None:
    bridge = LIBRARY.exercise("bridge")
    path = CONTENT_DIR / "exercises" / "bridge.yml"
    assert bridge.text_hash == review_state(path).current_hash
    assert bridge.needs_review is (review_state(path).state != "reviewed")


def test_a_copy_loads_like_the_original(content: Path) -> None:
    assert load_library(content).ids() == LIBRARY.ids()


# --- validation --------------------------------------------------------------------------


def drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.pop(key)


def put(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node = data
        *parents, last = key.split(".")
        for part in parents:
            node = node[part]
        node[last] = value

    return change


BROKEN = [
    ("missing steps", drop("steps"), "missing steps"),
    ("missing sources", drop("sources"), "missing sources"),
    ("missing review", drop("review"), "missing review"),
    ("typo in a key", put("stop-if", ["x"]), "unknown keys stop-if"),
    ("id of another file", put("id", "knee_to_chest"), "must match the file name"),
    ("empty steps", put("steps", []), "steps must not be empty"),
    ("a step that is not text", put("steps", ["Lie down.", 3]), "steps must be a list"),
    ("empty stop_if", put("stop_if", []), "stop_if must not be empty"),
    ("empty name", put("name", " "), "name must be non-empty"),
    ("no dose", put("dose", {}), "dose must be a non-empty mapping"),
    ("zero reps", put("dose.reps", 0), "reps must be a whole number"),
    ("reps as words", put("dose.reps", "five"), "reps must be a whole number"),
    ("fractional reps", put("dose.reps", 2.5), "reps must be a whole number"),
    ("reps as a boolean", put("dose.reps", True), "reps must be a whole number"),
    ("eight days a week", put("dose.days_per_week", 8), "days_per_week must be at most 7"),
    ("unknown amount", put("dose.weeks", 2), "unknown amounts"),
    ("each_side as text", put("dose.each_side", "yes"), "each_side must be true or false"),
    ("no frequency", put("dose", {"reps": 5}), "needs one of per_day, days_per_week"),
    ("no effort", put("dose", {"per_day": 1}), "needs one of reps, hold_seconds, minutes"),
    ("easier without text", put("easier", {"dose": {"reps": 3}}), "easier: text must be"),
    ("easier without dose", put("easier", {"text": "Less."}), "easier.dose must be"),
    ("easier that is the same", put("easier.dose", {"reps": 5}), "must change the starting"),
    ("easier that is more", put("easier.dose", {"reps": 8}), "must be less than the starting"),
    (
        "easier that is mixed",
        put("easier.dose", {"reps": 3, "hold_seconds": 10}),
        "must be less than the starting",
    ),
    ("harder that is less", put("harder.dose", {"reps": 2}), "must be more than the starting"),
    (
        "harder that is mixed",
        put("harder.dose", {"reps": 10, "per_day": 1, "hold_seconds": 1}),
        "must be more than the starting",
    ),
    ("sms over the limit", put("sms", "Lift. " * 60), f"over {SMS_LIMIT}"),
    ("illustration not a mapping", put("illustration", "images/bridge.svg"), "illustration must"),
    ("illustration without alt", put("illustration.alt", ""), "alt must be non-empty"),
    ("illustration outside", put("illustration.path", "../bridge.svg"), "must be an .svg"),
    ("illustration absolute", put("illustration.path", "/tmp/bridge.svg"), "must be an .svg"),
    ("illustration not svg", put("illustration.path", "images/bridge.png"), "must be an .svg"),
    ("illustration missing", put("illustration.path", "images/nope.svg"), "does not exist"),
    ("unknown review status", put("review.status", "approved"), "review.status"),
    ("half a sign-off", put("review.status", "reviewed"), "a reviewed item needs"),
    ("grade as words", put("reading_grade", "easy"), "reading_grade must be a number"),
]


@pytest.mark.parametrize(
    ("change", "error"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_a_broken_exercise_is_refused(
    content: Path, change: Callable[[dict[str, Any]], None], error: str
) -> None:
    edit(content / "exercises" / "bridge.yml", change)
    with pytest.raises(ContentError, match=re.escape(error)):
        load_library(content)


def test_a_deleted_drawing_is_refused(content: Path) -> None:
    (content / "exercises" / "images" / "bridge.svg").unlink()
    with pytest.raises(ContentError, match=re.escape("bridge.yml: illustration images/bridge.svg does not")):
        load_library(content)


def test_a_file_that_is_not_yaml_is_refused(content: Path) -> None:
    (content / "exercises" / "bridge.yml").write_text("id: [bridge\n", encoding="utf-8")
    with pytest.raises(ContentError, match="cannot read"):
        load_library(content)


def test_no_exercises_is_refused(content: Path) -> None:
    for path in (content / "exercises").glob("*.yml"):
        path.unlink()
    with pytest.raises(ContentError, match="no exercises found"):
        load_library(content)


LAYOUT_BROKEN = [
    ("missing template", put("chat.step", None), "chat: step must be non-empty"),
    ("no phrase for other numbers", put("dose.reps", {"1": "once"}), "dose.reps needs an 'other'"),
    ("no each-side phrase", put("dose.each_side", ""), "each_side must be non-empty"),
    ("pointer to no topic", put("warning_signs.topic", "red_alert"), "'red_alert' is not a topic"),
    ("pointer without words", put("warning_signs.text", None), "text must be non-empty"),
]


@pytest.mark.parametrize(
    ("change", "error"),
    [case[1:] for case in LAYOUT_BROKEN],
    ids=[case[0] for case in LAYOUT_BROKEN],
)
def test_a_broken_layout_is_refused(
    content: Path, change: Callable[[dict[str, Any]], None], error: str
) -> None:
    edit(content / "exercise_library.yml", change)
    with pytest.raises(ContentError, match=re.escape(error)):
        load_library(content)


# --- doses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "start", "expected"),
    [
        (Dose(reps=3, per_day=1), Dose(reps=5, per_day=1), -1),
        (Dose(reps=8, per_day=1), Dose(reps=5, per_day=1), 1),
        (Dose(reps=5, per_day=1), Dose(reps=5, per_day=1), 0),
        (Dose(reps=3, per_day=2), Dose(reps=5, per_day=1), 0),  # mixed: neither
        (Dose(reps=5, hold_seconds=3, per_day=1), Dose(reps=5, per_day=1), 0),  # not comparable
        (Dose(reps=8, sets=2, per_day=1), Dose(reps=5, per_day=1), 1),
        (Dose(minutes=3, days_per_week=5), Dose(minutes=5, days_per_week=5), -1),
    ],
)
def test_compare_doses(variant: Dose, start: Dose, expected: int) -> None:
    assert compare_doses(variant, start) == expected


def test_every_easier_dose_is_less_and_every_harder_dose_is_more() -> None:
    for exercise in LIBRARY.exercises.values():
        assert compare_doses(exercise.easier.dose, exercise.dose) == -1, exercise.id
        assert compare_doses(exercise.harder.dose, exercise.dose) == 1, exercise.id


def test_a_variant_keeps_the_amounts_it_does_not_change() -> None:
    bridge = LIBRARY.exercise("bridge")
    assert bridge.easier.dose == dataclasses.replace(bridge.dose, reps=3)
    assert bridge.easier.changes(bridge.dose) == {"reps": 3}
    assert bridge.harder.changes(bridge.dose) == {"reps": 8, "hold_seconds": 5, "sets": 2}


@pytest.mark.parametrize(
    ("dose", "amounts", "expected"),
    [
        (Dose(reps=5, per_day=1), None, "5 times, once a day"),
        (Dose(reps=1, per_day=2, days_per_week=7), None, "once, twice a day, every day"),
        (Dose(reps=3, per_day=3, days_per_week=5), None, "3 times, 3 times a day, 5 days a week"),
        (Dose(hold_seconds=20, per_day=1, each_side=True), None, "holding for 20 seconds on each side, once a day"),
        (Dose(reps=2, hold_seconds=20, per_day=1, each_side=True), None, "2 times on each side, holding for 20 seconds, once a day"),
        (Dose(reps=8, sets=2, per_day=1), None, "8 times, 2 rounds with a rest between, once a day"),
        (Dose(minutes=1, days_per_week=1), None, "1 minute, 1 day a week"),
        (Dose(reps=8, sets=2, per_day=1), {"sets": 2}, "2 rounds with a rest between"),
        (Dose(reps=2, hold_seconds=10, per_day=1, each_side=True), {"hold_seconds": 10}, "holding for 10 seconds on each side"),
    ],
)
def test_dose_text(dose: Dose, amounts: dict[str, int] | None, expected: str) -> None:
    assert dose_text(dose, LAYOUT, amounts) == expected


# --- rendering ---------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", LIBRARY.ids())
def test_chat_text_numbers_the_steps_in_order(exercise_id: str) -> None:
    exercise = LIBRARY.exercise(exercise_id)
    lines = render_chat(exercise, LAYOUT).split("\n")
    numbered = [line for line in lines if re.match(r"\d+\. ", line)]
    assert numbered == [f"{n}. {step}" for n, step in enumerate(exercise.steps, start=1)]
    assert lines[0] == exercise.name
    assert lines[-1] == " ".join(LAYOUT.warning_signs.split())
    for item in exercise.stop_if:
        assert f"- {item}" in lines
    assert "{" not in "\n".join(lines)


def test_chat_text_lays_out_the_bridge() -> None:
    lines = render_chat(LIBRARY.exercise("bridge"), LAYOUT).split("\n")
    assert "To start with: 5 times, holding for 3 seconds, once a day." in lines
    assert "To make it easier: Lift your hips only a little way. Try 3 times." in lines
    assert (
        "When it feels easy: Hold at the top for longer, and do more rounds. "
        "Try 8 times, holding for 5 seconds, 2 rounds with a rest between." in lines
    )
    assert lines.index("How to do it:") < lines.index("1. " + LIBRARY.exercise("bridge").steps[0])


def test_chat_text_leaves_out_equipment_when_none_is_needed() -> None:
    bridge = dataclasses.replace(LIBRARY.exercise("bridge"), equipment=())
    assert not any(line.startswith("You need:") for line in render_chat(bridge, LAYOUT).split("\n"))
    assert "You need: a mat or rug, or a firm bed" in render_chat(LIBRARY.exercise("bridge"), LAYOUT)


@pytest.mark.parametrize("exercise_id", LIBRARY.ids())
def test_sms_text_is_the_sms_variant_within_the_limit(exercise_id: str) -> None:
    exercise = LIBRARY.exercise(exercise_id)
    text = render_sms(exercise)
    assert text == exercise.sms
    assert len(text) <= SMS_LIMIT
    assert "\n" not in text and "  " not in text


def test_an_sms_over_the_limit_is_refused() -> None:
    bridge = LIBRARY.exercise("bridge")
    with pytest.raises(ContentError, match="over 50"):
        render_sms(bridge, limit=50)


def test_the_message_carries_the_exercise_content_id() -> None:
    bridge = LIBRARY.exercise("bridge")
    chat = exercise_message(bridge, LAYOUT, sms=False)
    sms = exercise_message(bridge, LAYOUT, sms=True)
    assert chat.content_id == sms.content_id == "exercises.bridge"
    assert chat.text == render_chat(bridge, LAYOUT)
    assert sms.text == bridge.sms
    assert chat.buttons == ()

"""Checks on the exercise library content: fields, plain words, SMS length, drawings, review.

Every exercise in ``content/exercises/`` is patient-facing: its words are read at grade 7
or lower (recomputed here, as for the topics), its SMS fits the limit the topics use, its
drawing is a small, self-contained, accessible SVG whose title is the alt text, and it is
an item awaiting clinical review until signed off with the hash of its words and drawing.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.common.content import CONTENT_DIR, SMS_LIMIT
from actions.common.review import review_states
from actions.education.topics import load_store
from actions.exercises.library import Exercise, load_library, render_chat
from scripts import content_report

EXERCISES = CONTENT_DIR / "exercises"
LIBRARY = load_library()
IDS = list(LIBRARY.ids())
PATHS = sorted(EXERCISES.glob("*.yml"))

REQUIRED_IDS = {
    "knee_to_chest",
    "pelvic_tilt",
    "cat_cow",
    "bird_dog",
    "bridge",
    "childs_pose",
    "prone_press_up",
    "dead_bug",
    "side_lying_clam",
    "hamstring_stretch",
    "sit_to_stand",
    "walking_programme",
}
REQUIRED_KEYS = {
    "id",
    "name",
    "purpose",
    "position",
    "equipment",
    "steps",
    "dose",
    "easier",
    "harder",
    "stop_if",
    "sms",
    "illustration",
    "sources",
    "review",
    "reading_grade",
}
MAX_GRADE = 7.0
MAX_SMS_CHARS = 306  # the topics' limit (tests/content/test_topics.py): two SMS parts
MAX_SVG_BYTES = 6 * 1024
SVG_NS = "{http://www.w3.org/2000/svg}"
# Characters every SMS encoding (GSM-7) sends at one unit each (as tests/content/test_wiring.py).
SMS_SAFE = re.compile(r"[A-Za-z0-9 .,;:!?'\"()/&%+\-\n]*")
# Words patients should not have to learn: jargon, exercise nicknames and US words.
JARGON = (
    "baseline",
    "boom and bust",
    "boom-and-bust",
    "core",
    "engage",
    "neutral spine",
    "lumbar",
    "glute",
    "hamstring",
    "flexion",
    "extension",
    "prone",
    "supine",
    "reps",
    "repetitions",
    "cat-cow",
    "cat cow",
    "bird dog",
    "dead bug",
    "emergency room",
    "emergency department",
    "pants",
    "butt",
    "er",
)
# Urgency belongs to the warning-signs advice; an exercise only points to it.
URGENCY = ("a&e", "999", "{emergency_number}", "ambulance", "111", "{urgent_advice_line}")


def patient_texts(exercise: Exercise) -> dict[str, str]:
    """Return every text the patient reads, graded as a whole (lists as sentences)."""
    return {
        "purpose": exercise.purpose,
        "position": exercise.position,
        "steps": " ".join(exercise.steps),
        "easier": exercise.easier.text,
        "harder": exercise.harder.text,
        "stop_if": " ".join(f"{item}." for item in exercise.stop_if),
        "sms": exercise.sms,
        "alt": exercise.illustration.alt,
    }


def every_word(exercise: Exercise) -> list[str]:
    return [
        exercise.name,
        *patient_texts(exercise).values(),
        *exercise.equipment,
        *exercise.steps,
        *exercise.stop_if,
    ]


# --- the library -------------------------------------------------------------------------


def test_the_twelve_exercises_exist() -> None:
    assert set(IDS) >= REQUIRED_IDS
    assert len(IDS) >= 12
    assert [p.stem for p in PATHS] == IDS


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_exercise_file_has_every_field(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(data) == REQUIRED_KEYS
    assert data["id"] == path.stem
    assert len(data["steps"]) >= 3
    assert set(data["dose"]) & {"reps", "hold_seconds", "minutes"}
    assert set(data["dose"]) & {"per_day", "days_per_week"}
    for variant in ("easier", "harder"):
        assert set(data[variant]) == {"text", "dose"}
    assert set(data["illustration"]) == {"path", "alt"}
    assert data["illustration"]["path"] == f"images/{path.stem}.svg"
    assert len(data["sources"]) >= 2
    review = data["review"]
    assert set(review) >= {"status", "reviewer", "registration", "date", "hash", "drafted"}
    assert review["status"] in {"draft", "reviewed"}


@pytest.mark.parametrize("exercise_id", IDS)
def test_names_are_short_and_unique(exercise_id: str) -> None:
    exercise = LIBRARY.exercise(exercise_id)
    assert len(exercise.name) <= 40
    names = [e.name.lower() for e in LIBRARY.exercises.values()]
    assert names.count(exercise.name.lower()) == 1


def test_cat_cow_has_a_name_in_plain_uk_words() -> None:
    assert LIBRARY.exercise("cat_cow").name == "Back arch and round on all fours"


# --- plain words ---------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", IDS)
def test_reading_grade(
    exercise_id: str, grade: Callable[[str], float], grade_backend: str
) -> None:
    exercise = LIBRARY.exercise(exercise_id)
    grades = {name: grade(text) for name, text in patient_texts(exercise).items()}
    assert {name: g for name, g in grades.items() if g > MAX_GRADE} == {}
    assert grade(render_chat(exercise, LIBRARY.layout)) <= MAX_GRADE
    assert exercise.reading_grade <= MAX_GRADE
    if grade_backend != "pyphen":
        # reading_grade records the hardest text, measured with the CMU dictionary.
        assert exercise.reading_grade == pytest.approx(max(grades.values()), abs=0.05)


def test_the_layout_words_read_easily(grade: Callable[[str], float]) -> None:
    layout = LIBRARY.layout
    assert grade(layout.warning_signs) <= MAX_GRADE
    assert grade(layout.chat["stop_if"]) <= MAX_GRADE


@pytest.mark.parametrize("exercise_id", IDS)
def test_sms_fits_the_limit(exercise_id: str) -> None:
    sms = LIBRARY.exercise(exercise_id).sms
    assert len(sms) <= MAX_SMS_CHARS == SMS_LIMIT
    # The whole exercise: the dose in numbers and when to stop.
    assert re.search(r"\d", sms)
    assert "stop and get advice" in sms.lower()


@pytest.mark.parametrize("exercise_id", IDS)
def test_words_are_sms_safe_and_hold_no_placeholders(exercise_id: str) -> None:
    exercise = LIBRARY.exercise(exercise_id)
    for text in [*every_word(exercise), exercise.sms]:
        assert SMS_SAFE.fullmatch(text), text
        assert "{" not in text


@pytest.mark.parametrize("exercise_id", IDS)
def test_no_jargon_or_us_words(exercise_id: str) -> None:
    text = " ".join(every_word(LIBRARY.exercise(exercise_id))).lower()
    found = [word for word in JARGON if re.search(rf"\b{re.escape(word)}\b", text)]
    assert found == []


@pytest.mark.parametrize("exercise_id", IDS)
def test_steps_are_short_sentences(exercise_id: str) -> None:
    for step in LIBRARY.exercise(exercise_id).steps:
        assert step[0].isupper() and step.endswith("."), step
        assert len(step.split()) <= 20, step


# --- safety ------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", IDS)
def test_stop_if_names_the_nerve_signs(exercise_id: str) -> None:
    stops = " ".join(LIBRARY.exercise(exercise_id).stop_if).lower()
    assert "spreads down" in stops and "leg" in stops
    assert "numbness" in stops
    assert "weakness" in stops


@pytest.mark.parametrize("exercise_id", IDS)
def test_an_exercise_sets_no_urgency_of_its_own(exercise_id: str) -> None:
    text = " ".join(every_word(LIBRARY.exercise(exercise_id))).lower()
    assert [word for word in URGENCY if word in text] == []


def test_the_warning_line_points_to_the_warning_signs_advice() -> None:
    layout = LIBRARY.layout
    topic = load_store().topic(layout.warning_signs_topic)
    assert topic.intent == "ask_warning_signs"
    assert "warning signs" in layout.warning_signs.lower()
    # The advice, not this line, says where to go.
    assert [word for word in URGENCY if word in layout.warning_signs.lower()] == []


@pytest.mark.parametrize("exercise_id", IDS)
def test_sources_cite_the_guideline_and_the_review(exercise_id: str) -> None:
    sources = " ".join(LIBRARY.exercise(exercise_id).sources)
    assert "NICE NG59" in sources
    assert "Hayden" in sources and "Cochrane" in sources and "2021" in sources
    assert "reference.md" not in sources and "Clinical reference" not in sources


# --- drawings ----------------------------------------------------------------------------


def svg_root(exercise: Exercise) -> ET.Element:
    return ET.fromstring(exercise.illustration.path.read_bytes())


@pytest.mark.parametrize("exercise_id", IDS)
def test_drawing_is_a_small_accessible_svg(exercise_id: str) -> None:
    exercise = LIBRARY.exercise(exercise_id)
    path = exercise.illustration.path
    assert path == EXERCISES / "images" / f"{exercise_id}.svg"
    assert path.stat().st_size < MAX_SVG_BYTES
    root = svg_root(exercise)
    assert root.tag == f"{SVG_NS}svg"
    view_box = root.get("viewBox", "").split()
    assert len(view_box) == 4 and all(float(v) >= 0 for v in view_box)
    assert float(view_box[2]) > 0 and float(view_box[3]) > 0
    assert root.get("role") == "img"
    title = root.find(f"{SVG_NS}title")
    assert title is not None and root[0] is title
    assert " ".join((title.text or "").split()) == " ".join(exercise.illustration.alt.split())
    assert root.get("aria-labelledby") == title.get("id")


@pytest.mark.parametrize("exercise_id", IDS)
def test_drawing_has_no_scripts_or_outside_references(exercise_id: str) -> None:
    exercise = LIBRARY.exercise(exercise_id)
    raw = exercise.illustration.path.read_text(encoding="utf-8")
    tags = {element.tag.removeprefix(SVG_NS) for element in svg_root(exercise).iter()}
    assert not tags & {"script", "foreignObject", "image", "use", "a", "iframe"}
    for element in svg_root(exercise).iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name  # event handlers run script
            if name.endswith("href"):
                assert value.startswith("#"), value
    assert re.findall(r"url\(([^)]*)\)", raw) == [
        ref for ref in re.findall(r"url\(([^)]*)\)", raw) if ref.startswith("#")
    ]
    assert set(re.findall(r"https?://[^\s\"']+", raw)) <= {"http://www.w3.org/2000/svg"}
    assert "@import" not in raw and "javascript:" not in raw.lower()


@pytest.mark.parametrize("exercise_id", IDS)
def test_drawing_shows_start_and_end_without_relying_on_colour(exercise_id: str) -> None:
    exercise = LIBRARY.exercise(exercise_id)
    root = svg_root(exercise)
    heads = root.findall(f".//{SVG_NS}circle")
    assert len(heads) == 2  # the figure in its start and end positions
    assert any(e.get("marker-end") for e in root.iter())  # an arrow for the movement
    raw = exercise.illustration.path.read_text(encoding="utf-8").lower()
    colours = set(re.findall(r"#[0-9a-f]{3,6}\b|\b(?:rgb|hsl)a?\(", raw))
    assert colours <= {"#000", "#fff", "#000000", "#ffffff"}  # black lines on white only


def test_every_drawing_belongs_to_an_exercise() -> None:
    drawings = {p.stem for p in (EXERCISES / "images").iterdir()}
    assert drawings == set(IDS)


# --- review ------------------------------------------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    shutil.copy(CONTENT_DIR.parent / "domain.yml", tmp_path / "domain.yml")
    return root


def state_of(root: Path, item: str) -> str:
    return {s.item: s.state for s in review_states(root)}[item]


def sign_off(root: Path, item: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Sign an exercise off with the hash ``content_report --hash`` prints."""
    assert content_report.main(["--content", str(root), "--hash", item]) == 0
    digest = capsys.readouterr().out.strip()
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    path = root / f"{item}.yml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["review"].update(
        status="reviewed",
        reviewer="A Physiotherapist",
        registration="HCPC PH000000",
        date="2026-12-01",
        hash=digest,
    )
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return digest


def test_every_exercise_is_a_review_item() -> None:
    states = {s.item: s for s in review_states()}
    for exercise in LIBRARY.exercises.values():
        state = states[f"exercises/{exercise.id}"]
        assert state.review is not None, state.problem
        assert state.current_hash == exercise.text_hash
        # No state is hard-coded: only a sign-off with today's hash counts.
        reviewed = state.review.status == "reviewed" and state.review.hash == state.current_hash
        assert state.needs_review is not reviewed
    assert states["exercise_library"].review is not None


def test_the_report_lists_exercises_awaiting_review(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert content_report.main(["--content", str(content)]) == 0
    out = capsys.readouterr().out
    for exercise_id in IDS:
        assert f"exercises/{exercise_id} " in out
    sign_off(content, "exercises/bridge", capsys)
    assert content_report.main(["--content", str(content)]) == 0
    out = capsys.readouterr().out
    assert "exercises/bridge " not in out and "exercises/bird_dog " in out


def test_a_signed_off_exercise_counts_as_reviewed(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_off(content, "exercises/bridge", capsys)
    assert state_of(content, "exercises/bridge") == "reviewed"
    assert not load_library(content).exercise("bridge").needs_review


def test_changing_a_step_after_sign_off_needs_review_again(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_off(content, "exercises/bridge", capsys)
    path = content / "exercises" / "bridge.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["steps"][1] = data["steps"][1].replace("slowly", "quickly")
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert state_of(content, "exercises/bridge") == "text changed"
    assert load_library(content).exercise("bridge").needs_review


def test_changing_the_dose_after_sign_off_needs_review_again(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_off(content, "exercises/bridge", capsys)
    path = content / "exercises" / "bridge.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["dose"]["reps"] = 4
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert state_of(content, "exercises/bridge") == "text changed"


def test_changing_the_drawing_after_sign_off_needs_review_again(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_off(content, "exercises/bridge", capsys)
    drawing = content / "exercises" / "images" / "bridge.svg"
    original = drawing.read_text(encoding="utf-8")
    changed = original.replace('r="8"', 'r="12"', 1)  # a bigger head: a different drawing
    assert changed != original
    drawing.write_text(changed, encoding="utf-8")
    assert state_of(content, "exercises/bridge") == "text changed"
    assert load_library(content).exercise("bridge").needs_review


def test_rewrapping_after_sign_off_keeps_it(
    content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sign_off(content, "exercises/bridge", capsys)
    path = content / "exercises" / "bridge.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sms"] = "  " + data["sms"].replace(" ", "\n  ", 4) + " "
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert state_of(content, "exercises/bridge") == "reviewed"

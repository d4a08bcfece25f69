"""Checks on the education content: metadata, length, reading grade and cross-references."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from actions.common.content import PLACEHOLDERS
from actions.education.topics import Topic, load_store

CONTENT = Path(__file__).resolve().parents[2] / "content"

# The intents the NLU knows (domain.yml); content must not invent others.
KNOWN_INTENTS = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "bot_challenge",
        "request_human",
        "out_of_scope",
        "ask_pain_science",
        "ask_hurt_vs_harm",
        "ask_sensitisation",
        "ask_imaging",
        "ask_mind_body",
        "ask_sleep",
        "ask_exercise",
        "ask_pacing",
        "request_pacing_plan",
        "show_pacing_plan",
        "pacing_managed",
        "pacing_too_much",
        "change_baseline",
        "report_flare_up",
        "ask_flare_up_plan",
        "show_flare_up_plan",
        "ask_medication",
        "ask_posture_lifting",
        "ask_work",
        "ask_treatments",
        "ask_physio",
        "ask_sciatica",
        "ask_medicines_safety",
        "ask_goal_setting",
        "ask_graded_exposure",
        "ask_non_urgent_review",
        "request_symptom_check",
        "ask_warning_signs",
        "confirm_getting_help",
        "start_checkin",
        "start_learning",
        "learn_next",
        "show_menu",
        "red_flag_emergency",
        "red_flag_urgent",
        "red_flag_soon",
        "nlu_fallback",
    }
)

EXPECTED_TOPICS = {
    "pain_science": "ask_pain_science",
    "hurt_vs_harm": "ask_hurt_vs_harm",
    "sensitisation": "ask_sensitisation",
    "imaging": "ask_imaging",
    "mind_body": "ask_mind_body",
    "sleep": "ask_sleep",
    "exercise": "ask_exercise",
    "pacing": "ask_pacing",
    "flare_ups": None,
    "medicines": "ask_medication",
    "posture_lifting": "ask_posture_lifting",
    "work": "ask_work",
    "treatments": "ask_treatments",
    "physio": "ask_physio",
    "warning_signs": "ask_warning_signs",
    "about": "bot_challenge",
    "sciatica": "ask_sciatica",
    "medicines_safety": "ask_medicines_safety",
    "goal_setting": "ask_goal_setting",
    "graded_exposure": "ask_graded_exposure",
    "non_urgent_review": "ask_non_urgent_review",
}

MAX_GRADE = 7.0
MAX_PART_CHARS = 320
MAX_SMS_CHARS = 306
REQUIRED_KEYS = {
    "id",
    "title",
    "key_message",
    "intent",
    "parts",
    "sms",
    "sources",
    "review",
    "related",
    "reading_grade",
    "teach_back",
}
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

STORE = load_store(CONTENT)
TOPICS = sorted(STORE.topics.values(), key=lambda t: t.id)
TOPIC_IDS = [t.id for t in TOPICS]


def feedback_texts(topic: Topic) -> list[str]:
    spec = topic.teach_back
    return [
        spec.question,
        spec.praise,
        spec.nudge,
        *(m.correction for m in spec.misconceptions),
    ]


def patient_texts(topic: Topic) -> list[str]:
    return [*topic.parts, topic.sms, *feedback_texts(topic)]


def test_all_expected_topics_exist_with_their_intents() -> None:
    assert {t.id: t.intent for t in TOPICS} == EXPECTED_TOPICS
    assert len(TOPICS) >= 21


@pytest.mark.parametrize("path", sorted((CONTENT / "topics").glob("*.yml")), ids=lambda p: p.stem)
def test_topic_file_has_required_metadata(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(data) >= REQUIRED_KEYS
    assert data["id"] == path.stem
    # A draft or a complete sign-off: whether the sign-off still matches the text is the
    # review-hash rule (tests/content/test_review.py), never a failure here.
    assert data["review"]["status"] in {"draft", "reviewed"}
    assert set(data["review"]) >= {"status", "reviewer", "registration", "date", "hash"}
    assert data["sources"], "every clinical claim needs a source"
    assert set(data["teach_back"]) >= {"question", "expect_any", "misconceptions", "praise"}


@pytest.mark.parametrize("path", sorted((CONTENT / "topics").glob("*.yml")), ids=lambda p: p.stem)
def test_sources_are_exact_and_inside_the_repository(path: Path) -> None:
    sources = " ".join(yaml.safe_load(path.read_text(encoding="utf-8"))["sources"])
    # The clinical reference is not part of the repository: cite the guideline itself.
    assert "reference.md" not in sources and "Clinical reference" not in sources
    if "NICE NG59" in sources:
        # A NICE citation names the recommendation (1.2.1) or the section.
        assert re.search(r"NICE NG59[^;]*?(recommendations? 1\.\d|section 1\.\d)", sources), sources


@pytest.mark.parametrize("topic", TOPICS, ids=TOPIC_IDS)
def test_topic_shape(topic: Topic) -> None:
    assert 2 <= len(topic.parts) <= 3
    assert all(len(part) <= MAX_PART_CHARS for part in topic.parts)
    assert len(topic.sms) <= MAX_SMS_CHARS
    assert 2 <= len(topic.related) <= 3
    assert topic.id not in topic.related
    assert topic.teach_back.expect_any
    assert topic.teach_back.misconceptions


@pytest.mark.parametrize("topic", TOPICS, ids=TOPIC_IDS)
def test_topic_reading_grade(
    topic: Topic, grade: Callable[[str], float], grade_backend: str
) -> None:
    grades = {text: grade(text) for text in patient_texts(topic)}
    too_hard = {text: g for text, g in grades.items() if g > MAX_GRADE}
    assert not too_hard
    assert topic.reading_grade <= MAX_GRADE
    if grade_backend != "pyphen":
        # reading_grade records the hardest of the parts and the SMS variant, measured
        # with the CMU dictionary; without it grades differ a little.
        hardest = max(grade(text) for text in (*topic.parts, topic.sms))
        assert topic.reading_grade == pytest.approx(hardest, abs=0.05)


@pytest.mark.parametrize("topic", TOPICS, ids=TOPIC_IDS)
def test_teach_back_replies_fit_an_sms(topic: Topic) -> None:
    assert all(len(text) <= MAX_SMS_CHARS for text in feedback_texts(topic))


@pytest.mark.parametrize("topic", TOPICS, ids=TOPIC_IDS)
def test_only_known_placeholders(topic: Topic) -> None:
    for text in patient_texts(topic):
        assert set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDERS), text


def test_topic_intents_are_known_and_unique() -> None:
    intents = [t.intent for t in TOPICS if t.intent is not None]
    assert set(intents) <= KNOWN_INTENTS
    assert len(intents) == len(set(intents))


def test_topic_intents_are_in_the_domain() -> None:
    domain = yaml.safe_load((CONTENT.parent / "domain.yml").read_text(encoding="utf-8"))
    assert {t.intent for t in TOPICS if t.intent is not None} <= set(domain["intents"])


def test_related_topics_exist_and_can_be_offered_as_buttons() -> None:
    for topic in TOPICS:
        for related in topic.related:
            assert related in STORE.topics
            # A related topic is offered as a button sending its intent.
            assert STORE.topics[related].intent is not None, (topic.id, related)


def test_warning_signs_and_about_tell_the_emergency_number() -> None:
    for topic_id in ("warning_signs", "about"):
        topic = STORE.topic(topic_id)
        assert "{emergency_number}" in topic.sms
        assert any("{emergency_number}" in part for part in topic.parts)


def test_mind_body_never_says_it_is_all_in_your_head() -> None:
    topic = STORE.topic("mind_body")
    for text in patient_texts(topic):
        lowered = text.lower()
        if "in your head" in lowered:
            assert "not all in your head" in lowered or "not in your head" in lowered


def test_medicines_give_no_dosing() -> None:
    topic = STORE.topic("medicines")
    for text in patient_texts(topic):
        assert not re.search(r"\d+\s?(mg|g|ml|tablets?)\b", text.lower())


def test_store_answers_each_topic_intent() -> None:
    for topic in TOPICS:
        if topic.intent is not None:
            assert STORE.topic_for_intent(topic.intent) == topic

"""Each clinical finding of issue 12 stays fixed, checked by content id.

A physiotherapist's review of ``content/`` found late signs taught as the trigger,
urgency levels that differ from the catalogue and the NHS, absolute wording, pacing
defined three ways, thin topics and citations without recommendation numbers. One test
per finding, named after it, keyed by the content it concerns.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.education.topics import Topic, load_store

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTENT = REPO_ROOT / "content"
STORE = load_store(CONTENT)


def texts(topic_id: str) -> list[str]:
    """Return every text of a topic the patient can read: parts, SMS and teach-back."""
    topic: Topic = STORE.topic(topic_id)
    spec = topic.teach_back
    return [
        *topic.parts,
        topic.sms,
        spec.question,
        spec.praise,
        spec.nudge,
        *(m.correction for m in spec.misconceptions),
    ]


def joined(topic_id: str) -> str:
    return " ".join(" ".join(texts(topic_id)).split()).lower()


def content_file(name: str) -> dict[str, Any]:
    return yaml.safe_load((CONTENT / name).read_text(encoding="utf-8"))


def strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [" ".join(node.split())]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return []


def patient_strings(name: str) -> list[str]:
    data = content_file(name)
    data.pop("review", None)
    data.pop("sources", None)
    (data.get("metadata") or {}).pop("sources", None)
    return strings(data)


# --- late signs taught as the trigger ----------------------------------------------------


@pytest.mark.parametrize("topic_id", ["exercise", "flare_ups", "warning_signs", "sciatica"])
def test_the_early_cauda_equina_signs_are_taught(topic_id: str) -> None:
    text = joined(topic_id)
    assert ("bottom" in text and "private parts" in text) or "numb bottom" in text
    assert "peeing" in text
    assert "sexual" in text or topic_id == "sciatica"
    assert "a&e" in text


@pytest.mark.parametrize("topic_id", sorted(STORE.topics))
def test_no_topic_teaches_incontinence_as_the_trigger(topic_id: str) -> None:
    text = joined(topic_id)
    assert "can't control your bladder" not in text
    assert "control your bladder or bowels" not in text


def test_the_flare_up_advice_teaches_the_early_signs() -> None:
    advice = " ".join(patient_strings("flare_ups.yml")).lower()
    assert "private parts" in advice and "peeing" in advice and "sexual" in advice
    assert "bladder or bowels" not in advice


# --- warning_signs gaps -----------------------------------------------------------------


@pytest.mark.parametrize(
    "sign", ["sexual", "chest pain", "between your shoulders", "lump", "shape of your back"]
)
def test_warning_signs_mentions(sign: str) -> None:
    assert sign in " ".join(STORE.topic("warning_signs").parts).lower()


def test_warning_signs_sms_keeps_the_emergency_signs() -> None:
    sms = STORE.topic("warning_signs").sms.lower()
    for sign in ("numb", "peeing", "sexual", "weak legs", "chest pain", "don't drive"):
        assert sign in sms


def test_warning_signs_say_what_to_do_for_chest_upper_back_pain_and_a_lump() -> None:
    topic = STORE.topic("warning_signs")
    # Chest pain with back pain: A&E or 999 (NHS back pain page), in the A&E part.
    emergency = part_with("warning_signs", "chest pain")
    assert "A&E" in emergency and "{emergency_number}" in emergency
    # Upper-back pain and a lump or change in shape: urgent GP or 111, in the web and SMS.
    urgent = part_with("warning_signs", "between your shoulders")
    assert "lump" in urgent and "shape of your back" in urgent
    assert "urgent GP appointment" in urgent and "{urgent_advice_line}" in urgent
    sms = " ".join(topic.sms.split())
    urgent_sms = sms[sms.index("Fever") :]
    for sign in ("between shoulders", "lump", "shape", "urgent GP", "{urgent_advice_line}"):
        assert sign in urgent_sms


# --- urgency aligned with the catalogue and the NHS ----------------------------------------


def part_with(topic_id: str, words: str) -> str:
    return next(p for p in STORE.topic(topic_id).parts if words in p.lower())


def test_weight_loss_and_night_pain_get_an_urgent_gp_appointment_or_111() -> None:
    part = part_with("warning_signs", "weight loss")
    assert "at night" in part
    assert "urgent GP appointment" in part and "{urgent_advice_line}" in part
    assert "this week" not in joined("warning_signs")


def test_cancer_counts_only_with_new_or_changed_pain() -> None:
    assert "new or changed pain after cancer" in joined("warning_signs")
    assert "if you have had cancer" not in joined("warning_signs")


def test_self_harm_999_only_if_acted_otherwise_crisis_line_or_gp() -> None:
    part = part_with("warning_signs", "harming yourself")
    assert "{crisis_line_name}" in part and "{crisis_line}" in part and "GP" in part
    crisis_line_at = part.index("{crisis_line}")
    emergency_at = part.rindex("{emergency_number}")
    assert "acted" in part[crisis_line_at:emergency_at]


def test_trauma_and_fainting_say_call_and_do_not_drive() -> None:
    part = part_with("warning_signs", "fall or")
    assert "do not drive" in part and "faint" in part


# --- hedged wording ---------------------------------------------------------------------

# Written in one form: "don't" and "do not mean" read as "does not mean".
ABSOLUTES = (
    "does not mean new damage",
    "hurt does not mean harm",
    "hurt does not equal harm",
    "and they settle",
)
HEDGES = ("usually ", "often ", "rarely ", "may ")


def unhedged(text: str, phrase: str) -> bool:
    """Return whether ``phrase`` appears in ``text`` without a hedge just before it."""
    lowered = text.lower().replace("don't", "do not").replace("do not mean", "does not mean")
    for hedge in HEDGES:
        lowered = lowered.replace(hedge + phrase, "")
    return phrase in lowered


def all_patient_texts() -> list[str]:
    found = [t for topic_id in STORE.topics for t in texts(topic_id)]
    for name in ("flare_ups.yml", "pacing.yml", "checkin.yml", "lessons.yml", "ui.yml"):
        found += patient_strings(name)
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    found += [v["text"] for r in domain["responses"].values() for v in r if "text" in v]
    return [" ".join(t.split()) for t in found]


@pytest.mark.parametrize("absolute", ABSOLUTES)
def test_no_absolute_reassurance(absolute: str) -> None:
    offending = [t for t in all_patient_texts() if unhedged(t, absolute)]
    assert offending == []


@pytest.mark.parametrize(
    "jargon", ["emergency department", "cat-cow", "emergency room", " er ", "tylenol"]
)
def test_no_non_uk_words_or_jargon(jargon: str) -> None:
    offending = [t for t in all_patient_texts() if jargon in f" {t.lower()} "]
    assert offending == []


@pytest.mark.parametrize("topic_id", sorted(STORE.topics))
def test_topics_avoid_the_words_baseline_and_boom_and_bust(topic_id: str) -> None:
    text = joined(topic_id)
    assert "baseline" not in text
    assert "boom and bust" not in text


@pytest.mark.parametrize("word", ["baseline", "boom and bust", "boom-and-bust"])
def test_no_patient_text_says_baseline_or_boom_and_bust(word: str) -> None:
    # Button payloads ("/change_baseline") are intent names, not words the patient reads.
    offending = [t for t in all_patient_texts() if word in t.lower() and not t.startswith("/")]
    assert offending == []


def test_flare_ups_and_damage_are_worded_one_hedged_way() -> None:
    # "usually does not mean new damage" everywhere, not "rarely" in some places.
    offending = [t for t in all_patient_texts() if "rarely mean" in t.lower()]
    assert offending == []


# --- pacing defined one way --------------------------------------------------------------


def test_pacing_topic_uses_the_plan_rule_and_does_the_sums() -> None:
    text = joined("pacing")
    assert "middle of the two" in text and "8 in 10" in text
    assert "never start above your bad-day amount" in text
    assert "never more than a bad day's amount" in text  # the SMS variant too
    assert "i can do the sums" in text


def test_the_pacing_rule_in_words_matches_the_plan_code() -> None:
    from actions.pacing.plan import BASELINE_FRACTION, build_plan

    assert BASELINE_FRACTION == 0.8  # "8 in 10" of the middle
    plan = build_plan("walking", "minutes", good_day=30, bad_day=10)
    assert plan.start <= 10  # "never above your bad-day amount"


def test_the_ten_percent_increase_is_sourced_and_hedged() -> None:
    for name in ("topics/pacing.yml", "pacing.yml"):
        data = content_file(name)
        sources = data.get("sources") or data["metadata"]["sources"]
        assert any("10%" in source and "convention" in source for source in sources), name
    increase = content_file("pacing.yml")["ask"]["pacing_increase"]
    assert "most people" not in increase["text"].lower()
    assert all("most people" not in b["title"].lower() for b in increase["buttons"])


# --- thin or missing topics ----------------------------------------------------------------


def test_medicines_says_what_nice_advises_for_and_against() -> None:
    text = joined("medicines")
    for word in ("ibuprofen", "paracetamol on its own", "opioids", "nerve pain", "low mood"):
        assert word in text


def test_medicines_safety_covers_nsaid_risks_and_over_the_counter_codeine() -> None:
    text = joined("medicines_safety")
    for word in ("stomach", "heart", "kidneys", "codeine", "addiction", "pharmacist"):
        assert word in text


@pytest.mark.parametrize("topic_id", ["medicines", "medicines_safety"])
def test_medicines_topics_give_no_dosing(topic_id: str) -> None:
    for text in texts(topic_id):
        assert not re.search(r"\d+\s?(mg|g|ml|tablets?|times a day)\b", text.lower())


def test_treatments_cover_acupuncture_injections_denervation_and_surgery() -> None:
    text = joined("treatments")
    for word in ("acupuncture", "injection", "heat treatment", "small nerves", "surgery"):
        assert word in text
    assert "test injection comes first" in text  # denervation only after a medial branch block


@pytest.mark.parametrize(
    "recommendation",
    ["1.2.7", "1.2.8", "1.2.9", "1.2.11", "1.3.1", "1.3.2", "1.3.5", "1.3.8", "1.3.9"],
)
def test_treatments_cite_nice_ng59_by_recommendation_number(recommendation: str) -> None:
    sources = " ".join(STORE.topic("treatments").sources)
    assert recommendation in sources


def test_ultrasound_reads_as_a_treatment_not_a_scan() -> None:
    for text in texts("treatments"):
        for match in re.finditer(r"ultrasound", text, re.I):
            assert text[match.end() :].startswith(" therapy")


def test_work_mentions_fit_notes_and_access_to_work() -> None:
    text = joined("work")
    assert "fit note" in text and "access to work" in text


def test_mind_body_mentions_talking_therapies_self_referral() -> None:
    text = joined("mind_body")
    assert "nhs talking therapies" in text and "refer yourself" in text


@pytest.mark.parametrize(
    "topic_id",
    ["sciatica", "medicines_safety", "goal_setting", "graded_exposure", "non_urgent_review"],
)
def test_new_topics_are_offered_on_a_topics_page(topic_id: str) -> None:
    pages = STORE.topic_pages()
    assert sum(topic_id in page for page in pages) == 1


# --- tone and governance ----------------------------------------------------------------


@pytest.mark.parametrize("change", ["first", "better", "same", "worse"])
def test_the_check_in_praises_every_check_in_not_only_better_scores(change: str) -> None:
    checkin = content_file("checkin.yml")
    assert checkin["result"].startswith("Thank you for checking in")
    assert "well done" in checkin["change"][change].lower()


def test_no_content_cites_the_reference_outside_the_repository() -> None:
    for path in [*CONTENT.glob("*.yml"), *(CONTENT / "topics").glob("*.yml")]:
        text = path.read_text(encoding="utf-8")
        assert "reference.md" not in text and "Clinical reference for" not in text, path.name
        assert "Clinical lead (pending)" not in text, path.name

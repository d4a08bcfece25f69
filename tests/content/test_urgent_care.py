"""Checks on the urgent-care and symptom-check responses in domain.yml.

They are static responses (so they need no action server) reviewed as one record,
``content/urgent_care.yml``. These tests hold them to the catalogue's tiers and the NHS
and NICE advice named in that record, by response name and flag id: which message a
flag gets, what each message must tell the patient to do, the questions the symptom
check asks, reading grade, placeholders and the SMS length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.safety.catalogue import NEUROLOGICAL_EMERGENCY_FLAGS

REPO_ROOT = Path(__file__).resolve().parents[2]
DOMAIN: dict[str, Any] = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
RESPONSES: dict[str, list[dict[str, Any]]] = DOMAIN["responses"]
RECORD = yaml.safe_load((REPO_ROOT / "content/urgent_care.yml").read_text(encoding="utf-8"))
CATALOGUE = yaml.safe_load((REPO_ROOT / "content/red_flags.yml").read_text(encoding="utf-8"))
FLAGS = {flag["id"]: flag for flag in CATALOGUE["flags"]}
RULES = yaml.safe_load((REPO_ROOT / "data/stories/symptom_check.yml").read_text(encoding="utf-8"))[
    "rules"
]

SAFETY_PREFIXES = ("utter_urgent_care_", "utter_ask_screen_", "utter_symptom_check_")
SAFETY_RESPONSES = sorted(
    name
    for name in RESPONSES
    if name.startswith(SAFETY_PREFIXES) or name == "utter_flare_check_intro"
)
# Placeholders the Rasa server fills from the settings (bot/nlu/red_flag_logic.py).
SLOTS = {
    "emergency_number",
    "emergency_dial",
    "crisis_line",
    "crisis_dial",
    "crisis_line_name",
    "crisis_text",
    "urgent_advice_line",
}
# What the patient reads instead of the placeholders (UK defaults of bot/settings.py).
SAMPLES = {
    "emergency_number": "999",
    "emergency_dial": "999",
    "crisis_line": "116 123",
    "crisis_dial": "116123",
    "crisis_line_name": "Samaritans",
    "crisis_text": "text SHOUT to 85258",
    "urgent_advice_line": "111",
}
LINK = re.compile(r"\[([^\]]+)\]\((?:tel:)?[^)]*\)")
SMS_LIMIT = 306
# Longer than this on the web, and a response needs an SMS variant (channel twilio).
NEEDS_SMS_VARIANT = 300
SCREEN = "utter_ask_screen_"


def shown(text: str) -> str:
    """Return the text as the patient sees it: links as their label, samples filled."""
    text = LINK.sub(r"\1", text)
    for key, value in SAMPLES.items():
        text = text.replace("{" + key + "}", value)
    return " ".join(text.split())


def variants(name: str) -> list[dict[str, Any]]:
    return RESPONSES[name]


def web(name: str) -> str:
    return next(v["text"] for v in variants(name) if "channel" not in v)


def sms(name: str) -> str | None:
    return next((v["text"] for v in variants(name) if v.get("channel") == "twilio"), None)


def every_text(name: str) -> list[str]:
    return [v["text"] for v in variants(name)]


def chain(screening: str) -> list[str]:
    """Return the flag ids a check asks about, in order, from the rules."""
    start = {"full": "request_symptom_check", "flare": "report_flare_up"}[screening]
    first = next(r for r in RULES if r["steps"][0].get("intent") == start)
    asked = [first["steps"][-1]["action"]]
    nexts = {
        r["steps"][0]["action"]: r["steps"][2]["action"]
        for r in RULES
        if r.get("condition") == [{"slot_was_set": [{"screening": screening}]}]
    }
    while asked[-1] in nexts and nexts[asked[-1]].startswith(SCREEN):
        asked.append(nexts[asked[-1]])
    return [name[len(SCREEN) :] for name in asked]


# --- the record and the domain agree -----------------------------------------------------


def test_the_review_record_lists_every_urgent_care_and_symptom_check_response() -> None:
    listed = set(RECORD["responses"])
    assert set(SAFETY_RESPONSES) <= listed
    assert listed <= set(RESPONSES)


def test_each_flag_response_exists_and_emergencies_are_split_by_what_to_do() -> None:
    for flag in FLAGS.values():
        assert flag["response"] in RESPONSES, flag["id"]
    assert FLAGS["major_trauma"]["response"] == "utter_urgent_care_emergency_trauma"
    assert FLAGS["tearing_pain_faint"]["response"] == "utter_urgent_care_emergency_aortic"
    assert FLAGS["chest_pain_back"]["response"] == "utter_urgent_care_emergency_chest"
    assert FLAGS["back_lump"]["response"] == "utter_urgent_care_same_day"
    for flag_id in NEUROLOGICAL_EMERGENCY_FLAGS:
        assert FLAGS[flag_id]["response"] == "utter_urgent_care_emergency", flag_id


# --- what each message tells the patient to do ---------------------------------------------


def test_the_cauda_equina_message_sends_to_a_and_e_now_and_not_to_drive() -> None:
    for text in every_text("utter_urgent_care_emergency"):
        lowered = shown(text).lower()
        assert "a&e now" in lowered
        assert "minor injuries" in lowered  # a main hospital, not a minor injuries unit
        assert "do not wait" in lowered
        assert "drive" in lowered
        # It may arrive beside the trauma or aortic message: it must not contradict them.
        assert "{emergency_number}" in text


@pytest.mark.parametrize(
    "name",
    [
        "utter_urgent_care_emergency_trauma",
        "utter_urgent_care_emergency_aortic",
        "utter_urgent_care_emergency_chest",
    ],
)
def test_trauma_and_aortic_messages_say_call_the_emergency_number_and_do_not_drive(
    name: str,
) -> None:
    for text in every_text(name):
        lowered = shown(text).lower()
        assert "call 999" in lowered
        assert "ambulance" in lowered
        assert "not drive" in lowered or "don't drive" in lowered
        assert "a&e" not in lowered  # no choice that could mean driving there


def test_the_trauma_message_says_keep_still_if_the_neck_or_back_may_be_hurt() -> None:
    for text in every_text("utter_urgent_care_emergency_trauma"):
        assert "keep still" in text and "neck or back" in text


def test_the_crisis_message_keeps_999_for_acting_or_life_at_risk() -> None:
    for text in every_text("utter_urgent_care_crisis"):
        lowered = shown(text).lower()
        assert "hurt yourself" in lowered and "act on these thoughts, call 999" in lowered
        for service in ("{crisis_line}", "{crisis_text}", "{urgent_advice_line}"):
            assert service in text
        assert "mental health option" in lowered
        assert " gp" in lowered


def test_same_day_and_soon_say_what_to_do_if_things_get_worse() -> None:
    for name in ("utter_urgent_care_same_day", "utter_urgent_care_soon"):
        for text in every_text(name):
            assert "{emergency_number}" in text, name
            assert "worse" in text, name


@pytest.mark.parametrize("flag_id", ["weight_loss", "night_pain"])
def test_weight_loss_and_night_pain_are_urgent_and_get_the_same_day_message(
    flag_id: str,
) -> None:
    # NHS back pain page: an urgent GP appointment or 111, not "book a visit this week".
    assert FLAGS[flag_id]["tier"] == "urgent"
    assert FLAGS[flag_id]["response"] == "utter_urgent_care_same_day"
    for text in every_text("utter_urgent_care_same_day"):
        lowered = shown(text).lower()
        assert "urgent appointment today" in lowered and "{urgent_advice_line}" in text


def test_soon_says_when_to_move_up_to_an_urgent_gp_appointment_or_111() -> None:
    for text in every_text("utter_urgent_care_soon"):
        lowered = shown(text).lower()
        assert "gets worse" in lowered
        assert "weight" in lowered and "night" in lowered
        assert "urgent gp appointment" in lowered and "{urgent_advice_line}" in text
        assert "this week" not in lowered


def test_the_hold_repeats_the_advice_without_inviting_a_drive() -> None:
    for text in every_text("utter_urgent_care_hold"):
        lowered = shown(text).lower()
        assert "a&e" in lowered and "call 999" in lowered and "drive" in lowered


# --- the symptom check -----------------------------------------------------------------


def test_every_screen_question_names_a_catalogue_flag() -> None:
    for name in RESPONSES:
        if name.startswith(SCREEN):
            assert name[len(SCREEN) :] in FLAGS, name


def test_the_full_check_asks_emergency_signs_first_and_covers_the_skipped_flags() -> None:
    asked = chain("full")
    assert len(asked) == len(set(asked))
    tiers = [FLAGS[flag]["tier"] for flag in asked]
    assert tiers == sorted(tiers, key=["emergency", "urgent", "soon"].index)
    for flag in ("cauda_equina_sexual", "infection_risk", "osteoporosis_steroid_fall"):
        assert flag in asked


def test_the_flare_check_asks_every_early_cauda_equina_sign() -> None:
    asked = chain("flare")
    for flag in ("cauda_equina_saddle", "cauda_equina_bladder", "cauda_equina_sexual"):
        assert flag in asked
    assert "fever_infection" in asked


@pytest.mark.parametrize(
    ("intro", "screening"),
    [("utter_symptom_check_intro", "full"), ("utter_flare_check_intro", "flare")],
)
def test_each_intro_says_how_many_questions_follow(intro: str, screening: str) -> None:
    assert f" {len(chain(screening))} quick" in web(intro)


def test_the_flare_check_asks_before_it_reassures() -> None:
    lowered = web("utter_flare_check_intro").lower()
    for reassurance in ("settle", "common", "nothing to worry"):
        assert reassurance not in lowered


def test_the_cancer_question_keeps_the_new_or_changed_pain_condition() -> None:
    assert "new or different" in web(SCREEN + "cancer_history")


def test_the_end_of_the_check_is_honest_about_what_it_covered() -> None:
    clear = web("utter_symptom_check_clear")
    assert "needs urgent care" not in clear
    assert "can't cover everything" in clear
    for text in every_text("utter_symptom_check_watch"):
        lowered = shown(text).lower()
        for sign in ("sexual", "chest pain", "shoulders", "lump", "weight loss", "fever"):
            assert sign in lowered, sign


# --- form: placeholders, reading grade, SMS ---------------------------------------------------


@pytest.mark.parametrize("name", SAFETY_RESPONSES)
def test_only_settings_placeholders(name: str) -> None:
    for text in every_text(name):
        assert set(re.findall(r"\{([a-z_]+)\}", text)) <= SLOTS, name


@pytest.mark.parametrize("name", SAFETY_RESPONSES)
def test_reading_grade_at_most_7(name: str, grade: Callable[[str], float]) -> None:
    for text in every_text(name):
        assert grade(shown(text)) <= 7.0, (name, round(grade(shown(text)), 1))


@pytest.mark.parametrize("name", SAFETY_RESPONSES)
def test_long_messages_have_an_sms_variant_that_fits_two_texts(name: str) -> None:
    text = sms(name)
    if len(shown(web(name))) > NEEDS_SMS_VARIANT:
        assert text is not None, f"{name} needs a channel: twilio variant"
    if text is not None:
        assert len(shown(text)) <= SMS_LIMIT, (name, len(shown(text)))
        assert "](" not in text, "SMS shows numbers plainly, without links"


# --- the dialogue treats every emergency kind as an emergency ------------------------------


def test_every_emergency_kind_holds_the_conversation_and_is_shown_as_urgent() -> None:
    from bot.channels.web import urgency_of
    from bot.policies.safety_plan import hold_of

    rules = yaml.safe_load((REPO_ROOT / "content/channels.yml").read_text(encoding="utf-8"))
    kinds = [name for name in RESPONSES if name.startswith("utter_urgent_care_emergency_")]
    assert sorted(kinds) == [
        "utter_urgent_care_emergency_aortic",
        "utter_urgent_care_emergency_chest",
        "utter_urgent_care_emergency_trauma",
    ]
    for name in kinds:
        assert hold_of(name) == "emergency"
        assert urgency_of({"text": "x", "utter_action": name}, rules["urgency"]) == "emergency"


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        (("major_trauma",), ("utter_urgent_care_emergency_trauma",)),
        (("tearing_pain_faint",), ("utter_urgent_care_emergency_aortic",)),
        (("chest_pain_back",), ("utter_urgent_care_emergency_chest",)),
        (("cauda_equina_sexual",), ("utter_urgent_care_emergency",)),
        # Together both are sent; each says not to drive, so they agree.
        (
            ("major_trauma", "bilateral_leg_symptoms"),
            ("utter_urgent_care_emergency_trauma", "utter_urgent_care_emergency"),
        ),
    ],
)
def test_the_safety_plan_sends_each_flag_its_emergency_message_then_holds(
    findings: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    from bot.policies.safety_plan import TurnView, load_flag_infos, plan_turn

    flags = load_flag_infos(REPO_ROOT / "content/red_flags.yml")
    view = TurnView(
        intent="red_flag_emergency", red_flags=tuple((flag, "emergency") for flag in findings)
    )
    assert plan_turn(view, flags) == (*expected, "utter_urgent_care_check", "action_listen")


def test_pain_high_between_the_shoulder_blades_is_a_same_day_flag() -> None:
    # NHS back pain page: pain high in the back needs an urgent GP appointment or 111;
    # warning_signs teaches it, so the detector must escalate it at the same tier.
    assert FLAGS["upper_back_pain"]["tier"] == "urgent"
    assert FLAGS["upper_back_pain"]["response"] == "utter_urgent_care_same_day"
    assert "nhs_back_pain" in FLAGS["upper_back_pain"]["sources"]

"""The pacing and flare-up forms, slots, rules and actions agree with the domain."""

from __future__ import annotations

import re
from typing import Any

import yaml

from actions.flare_ups import actions as flare_ups
from actions.pacing.form import SLOTS
from bot.settings import REPO_ROOT

RED_FLAG_INTENTS = {"red_flag_emergency", "red_flag_crisis", "red_flag_urgent", "red_flag_soon"}


def pacing_domain() -> dict[str, Any]:
    """Return the domain, which must declare the pacing form."""
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert "pacing_form" in (domain.get("forms") or {}), "domain.yml has no pacing_form"
    return domain


def test_domain_forms_match_the_actions():
    forms = pacing_domain()["forms"]
    assert forms["pacing_form"]["required_slots"] == list(SLOTS)
    assert forms["flare_plan_form"]["required_slots"] == list(flare_ups.SLOTS)


def test_domain_lists_every_action():
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions.pacing.actions")
    executor.register_package("actions.flare_ups.actions")
    mine = {name for name in executor.actions if "pacing" in name or "flare" in name}
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    listed = set(pacing_domain()["actions"]) | set(domain["actions"])
    assert mine <= listed


def test_red_flags_are_never_captured_as_form_answers():
    slots = pacing_domain()["slots"]
    for name in (*SLOTS, *flare_ups.SLOTS):
        for mapping in slots[name]["mappings"]:
            assert mapping["type"] == "from_text"
            assert set(mapping["not_intent"]) >= RED_FLAG_INTENTS, name
            [condition] = mapping["conditions"]
            assert condition["requested_slot"] == name


def test_rules_use_the_forms_and_actions():
    rules = (REPO_ROOT / "data" / "stories" / "pacing.yml").read_text(encoding="utf-8")
    flare_rules = (REPO_ROOT / "data" / "stories" / "flare_ups.yml").read_text(encoding="utf-8")
    for intent in (
        "request_pacing_plan",
        "show_pacing_plan",
        "pacing_managed",
        "pacing_too_much",
        "change_baseline",
    ):
        assert re.search(rf"intent: {intent}\n", rules)
    for intent in ("ask_flare_up_plan", "show_flare_up_plan"):
        assert re.search(rf"intent: {intent}\n", flare_rules)
    assert "action: action_save_pacing_plan" in rules
    assert "action: action_save_flare_plan" in flare_rules


def test_pacing_and_flare_actions_are_all_in_the_domain():
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions.pacing.actions")
    executor.register_package("actions.flare_ups.actions")
    names = {name for name in executor.actions if "pacing" in name or "flare" in name}
    domain_names = {n for n in pacing_domain()["actions"] if "pacing" in n or "flare" in n}
    assert names == domain_names | {"action_flare_up_advice"}

"""Structure checks on content/red_flags.yml that clinicians' edits must keep."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.safety import CatalogueError, Tier, load_catalogue
from bot.safety.catalogue import (
    DEFAULT_CATALOGUE,
    NEUROLOGICAL_EMERGENCY_FLAGS,
    RESPONSES,
    parse_catalogue,
)

RAW: dict[str, Any] = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
FLAGS: list[dict[str, Any]] = RAW["flags"]


def test_metadata_present() -> None:
    assert RAW["sources"], "catalogue needs a sources list"
    for source in RAW["sources"]:
        assert source.get("id") and source.get("title")
    review = RAW["review"]
    assert {"status", "reviewer", "date"} <= set(review)


@pytest.mark.parametrize("flag", FLAGS, ids=[f.get("id", "?") for f in FLAGS])
def test_every_flag_is_complete(flag: dict[str, Any]) -> None:
    for key in ("id", "tier", "description", "response", "sources"):
        assert flag.get(key), f"{flag.get('id')}: missing {key}"
    assert re.fullmatch(r"[a-z][a-z0-9_]*", flag["id"])
    assert flag["tier"] in {"emergency", "urgent", "soon"}
    assert flag["response"] in RESPONSES or flag["response"].startswith(
        "utter_urgent_care_emergency_"
    )
    assert flag.get("phrases") or flag.get("rules")


def test_ids_unique() -> None:
    ids = [flag["id"] for flag in FLAGS]
    assert len(ids) == len(set(ids))


def test_responses_match_tiers() -> None:
    expected = {
        "emergency": {"utter_urgent_care_emergency", "utter_urgent_care_crisis"},
        "urgent": {"utter_urgent_care_same_day"},
        "soon": {"utter_urgent_care_soon", "utter_urgent_care_low_mood"},
    }
    for flag in FLAGS:
        response = flag["response"]
        # Emergency advice is split by what to do: utter_urgent_care_emergency_<kind>.
        split_emergency = flag["tier"] == "emergency" and response.startswith(
            "utter_urgent_care_emergency_"
        )
        assert split_emergency or response in expected[flag["tier"]], flag["id"]
    kinds = {f["id"]: f["response"] for f in FLAGS}
    assert kinds["major_trauma"] == "utter_urgent_care_emergency_trauma"
    assert kinds["tearing_pain_faint"] == "utter_urgent_care_emergency_aortic"
    assert kinds["chest_pain_back"] == "utter_urgent_care_emergency_chest"
    crisis = {f["id"] for f in FLAGS if f["response"] == "utter_urgent_care_crisis"}
    assert crisis == {"suicidal_thoughts", "self_harm"}
    low_mood = {f["id"] for f in FLAGS if f["response"] == "utter_urgent_care_low_mood"}
    assert low_mood == {"low_mood"}


def test_required_flags_exist() -> None:
    ids = {flag["id"] for flag in FLAGS}
    assert {
        *NEUROLOGICAL_EMERGENCY_FLAGS,
        "major_trauma",
        "tearing_pain_faint",
        "suicidal_thoughts",
        "self_harm",
        "fever_infection",
        "infection_risk",
        "cancer_history",
        "osteoporosis_steroid_fall",
        "unassessed_trauma",
        "weight_loss",
        "night_pain",
        "worsening_pain",
        "age_onset",
        "inflammatory_stiffness",
        "unilateral_leg_numbness",
        "low_mood",
    } <= ids


def test_all_three_tiers_covered() -> None:
    tiers = {flag.tier for flag in load_catalogue().flags}
    assert tiers == {Tier.EMERGENCY, Tier.URGENT, Tier.SOON}


def test_flag_sources_are_declared() -> None:
    declared = {source["id"] for source in RAW["sources"]}
    for flag in FLAGS:
        assert set(flag["sources"]) <= declared, flag["id"]


def test_parse_rejects_unknown_concept() -> None:
    data = dict(RAW)
    data["asks"] = []
    data["flags"] = [{**FLAGS[0], "rules": [{"all": ["no_such_concept"]}], "phrases": None}]
    with pytest.raises(CatalogueError, match="unknown concepts"):
        parse_catalogue(data)


def test_parse_rejects_duplicate_ids_and_bad_response() -> None:
    data = dict(RAW)
    data["flags"] = [FLAGS[0], FLAGS[0]]
    with pytest.raises(CatalogueError, match="duplicate"):
        parse_catalogue(data)
    data["flags"] = [{**FLAGS[0], "response": "utter_nothing"}]
    with pytest.raises(CatalogueError, match="unknown response"):
        parse_catalogue(data)


def test_custom_catalogue_path(tmp_path: Path) -> None:
    from bot.safety import RedFlagDetector

    data = dict(RAW)
    data["asks"] = []
    data["flags"] = [
        {
            "id": "test_flag",
            "tier": "soon",
            "description": "test",
            "response": "utter_urgent_care_soon",
            "sources": ["nice_ng59"],
            "phrases": ["purple elephant"],
        }
    ]
    path = tmp_path / "flags.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    detector = RedFlagDetector.from_catalogue(path, second_opinion=None)
    assert detector.detect("I saw a purple elephant").flag_ids == ("test_flag",)
    assert detector.detect("I can't feel my bum").tier is Tier.NONE


def test_neurological_emergencies_get_the_plain_emergency_response() -> None:
    by_id = {flag["id"]: flag for flag in FLAGS}
    for flag_id in NEUROLOGICAL_EMERGENCY_FLAGS:
        assert by_id[flag_id]["response"] == "utter_urgent_care_emergency", flag_id


def test_a_key_given_twice_is_refused(tmp_path: Path) -> None:
    # PyYAML would keep the second "phrases_unless" and silently drop the first.
    from bot.safety.catalogue import DEFAULT_CATALOGUE

    text = DEFAULT_CATALOGUE.read_text(encoding="utf-8")
    flag = "  - id: cauda_equina_suspected\n"
    assert flag in text
    doubled = text.replace(flag, flag + "    tier: emergency\n", 1)
    path = tmp_path / "flags.yml"
    path.write_text(doubled, encoding="utf-8")
    with pytest.raises(CatalogueError, match="'tier' given twice"):
        load_catalogue(path)

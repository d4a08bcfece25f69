"""The hazard log is tied to the tests: a control whose test is gone fails the check."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts import hazard_check

LOG: dict[str, Any] = yaml.safe_load(hazard_check.HAZARD_LOG.read_text(encoding="utf-8"))


def test_the_hazard_log_holds() -> None:
    assert [str(p) for p in hazard_check.check(LOG)] == []


def test_it_covers_every_red_flag_tier_and_the_required_paths() -> None:
    covered = {tag for hazard in LOG["hazards"] for tag in hazard.get("covers", [])}
    assert {"tier:emergency", "tier:crisis", "tier:urgent", "tier:soon"} <= covered
    assert {
        "path:crisis",
        "path:action-server-down",
        "path:message-loss",
        "path:wrong-patient",
        "path:long-messages",
        "path:sms-opt-out-pending-emergency",
    } <= covered


def test_the_crisis_path_is_proved_by_the_crisis_hold_test() -> None:
    references = hazard_check.references(LOG)
    assert (
        "tests/e2e/test_conversations_never_die.py::"
        "test_the_crisis_hold_answers_ok_no_and_refusal_differently_and_never_lets_go_on_ok"
    ) in references


def test_everything_is_a_draft_for_the_clinical_safety_officer() -> None:
    assert LOG["status"] == "draft"
    assert LOG["clinical_safety_officer"] is None


def broken(change) -> dict[str, Any]:
    log = copy.deepcopy(LOG)
    change(log)
    return log


def test_a_control_whose_test_is_gone_fails_and_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def remove(log: dict[str, Any]) -> None:
        log["hazards"][0]["controls"][0]["tests"].append(
            "tests/e2e/test_conversations_never_die.py::test_that_was_deleted"
        )

    path = tmp_path / "hazard_log.yml"
    path.write_text(yaml.safe_dump(broken(remove)), encoding="utf-8")
    assert hazard_check.main(["--log", str(path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL H01/C01: test gone:" in out and "test_that_was_deleted" in out


@pytest.mark.parametrize(
    ("reference", "gone"),
    [
        ("tests/content/test_review.py::test_rewrapping_the_text_keeps_the_sign_off", False),
        ("tests/content/test_urgent_care.py::test_only_settings_placeholders[x]", False),
        ("tests/safety/phrasings.yml", False),
        ("tests/safety/phrasings.yml::emergency", False),
        ("tests/test_conversations.yml::red flag at the greeting", False),
        ("tests/safety/phrasings.yml::nothing", True),
        ("tests/safety/missing.yml", True),
        ("tests/content/test_review.py", True),
        ("tests/content/test_review.py::test_nothing", True),
        ("docs/README.md", True),
    ],
)
def test_references_are_checked_against_the_files(reference: str, gone: bool) -> None:
    assert (hazard_check.missing_test(reference) is not None) is gone


def test_a_risk_rating_must_follow_the_matrix() -> None:
    def misrate(log: dict[str, Any]) -> None:
        log["hazards"][0]["residual"]["risk"] = 1

    problems = [str(p) for p in hazard_check.check(broken(misrate))]
    assert problems == ["H01: residual risk 1 should be 2 (major, very_low)"]


def test_a_residual_risk_above_the_initial_fails() -> None:
    def worse(log: dict[str, Any]) -> None:
        log["hazards"][0]["residual"] = {
            "severity": "catastrophic",
            "likelihood": "very_high",
            "risk": 5,
        }

    assert "H01: residual risk above the initial risk" in [
        str(p) for p in hazard_check.check(broken(worse))
    ]


def test_a_tier_or_flag_no_hazard_covers_fails() -> None:
    def drop_soon(log: dict[str, Any]) -> None:
        for hazard in log["hazards"]:
            hazard["covers"] = [c for c in hazard.get("covers", []) if c != "tier:soon"]
            hazard["flags"] = [f for f in hazard.get("flags", []) if f != "night_pain"]

    problems = [str(p) for p in hazard_check.check(broken(drop_soon))]
    assert "coverage: no hazard covers tier:soon" in problems
    assert "coverage: no hazard names the red flag night_pain" in problems

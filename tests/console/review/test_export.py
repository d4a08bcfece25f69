"""The verdicts export: the safety suite's batch shape, the patient's exact words, a round trip."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone

import pytest
import yaml
from django.core.management import call_command

from bot.safety.batches import BATCH_KEYS, is_batch, score_batch
from bot.settings import REPO_ROOT
from console.audit.models import AuditEvent, Kind
from console.review.export import export_data, export_yaml
from console.review.models import Verdict, VerdictKind

NOW = datetime(2026, 11, 28, 17, 0, tzinfo=timezone.utc)
# Words that YAML would misread if written carelessly.
AWKWARD = [
    "can't feel my bum: wiping feels like someone else's hand",
    '"numb" down there # since Tuesday',
    "- yes\n- and my legs are weak",
    "  leading spaces, and an emoji \U0001f622 and Zürich",
    "no",
    "true",
    "@mention & 100% {braces} [brackets]",
]


def verdict(user, text, kind=VerdictKind.MISSED, tier="urgent", note="", event=1):
    return Verdict.objects.create(
        sender_id="web-x",
        event_id=event,
        kind=kind,
        tier=tier if kind == VerdictKind.MISSED else "none",
        note=note,
        text=text,
        model_id="m1",
        by=user,
    )


@pytest.fixture
def verdicts(clinician):
    made = [
        verdict(
            clinician, "I wet myself and can't feel my bum", tier="emergency", note="CES", event=1
        ),
        verdict(clinician, "shivery and 38.5 with my back", tier="urgent", event=2),
        verdict(
            clinician,
            "stiff till 10am every day",
            tier="soon",
            note="  inflammatory \n back ",
            event=3,
        ),
        verdict(
            clinician,
            "numb bum after cycling, gone now",
            VerdictKind.FALSE_ALARM,
            note="resolved",
            event=4,
        ),
        verdict(clinician, "stiff till 10am every day", tier="soon", note="again", event=5),
    ]
    for n, text in enumerate(AWKWARD, start=10):
        made.append(verdict(clinician, text, tier="emergency", event=n))
    return made


def test_the_export_has_the_suite_shape(verdicts):
    data = export_data(verdicts)
    assert set(data) == BATCH_KEYS
    assert data["emergency"][0] == {
        "text": "I wet myself and can't feel my bum",
        "category": "clinician review: CES",
    }
    assert data["urgent"] == [
        {"text": "shivery and 38.5 with my back", "category": "clinician review: missed urgent"}
    ]
    # The same words once per group; the note on one line.
    assert data["soon"] == [
        {"text": "stiff till 10am every day", "category": "clinician review: inflammatory back"}
    ]
    assert data["traps"] == [
        {
            "text": "numb bum after cycling, gone now",
            "category": "clinician review: resolved",
            "tier": "none",
        }
    ]
    assert data["benign"] == [] and data["conversations"] == []


def test_the_yaml_round_trips_with_the_patients_exact_words(verdicts):
    text = export_yaml(verdicts, NOW)
    assert text.startswith("# Clinicians' review verdicts")
    assert "\n- {text:" in text or "\n  - {text:" in text  # one item a line, as the suite writes
    loaded = yaml.safe_load(text)
    assert loaded == export_data(verdicts)
    assert [item["text"] for item in loaded["emergency"]][1:] == AWKWARD
    assert is_batch(loaded)


def test_an_export_with_only_false_alarms_is_still_a_batch(clinician):
    data = yaml.safe_load(
        export_yaml([verdict(clinician, "sore after gardening", VerdictKind.FALSE_ALARM)], NOW)
    )
    assert is_batch(data)  # the conversations key says so
    assert data["traps"][0]["tier"] == "none"


def test_the_safety_suite_loader_scores_the_export(verdicts):
    from bot.safety.detector import RedFlagDetector

    detector = RedFlagDetector.from_catalogue()
    data = yaml.safe_load(export_yaml(verdicts, NOW))
    score = score_batch(data, detector.detect, getattr(detector, "detect_conversation", None))
    assert score.totals == {"emergency": 1 + len(AWKWARD), "urgent": 1, "soon": 1}
    assert score.negatives == 1  # the false alarm, as a trap that must not escalate
    assert score.reached["emergency"] >= 1  # "I wet myself..." is caught today


def test_the_command_writes_a_file_the_safety_report_scores(verdicts, tmp_path):
    out = tmp_path / "review.yml"
    call_command("export_verdicts", "--out", str(out))
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == export_data(verdicts)
    event = AuditEvent.objects.filter(kind=Kind.VERDICT_EXPORT).get()
    assert event.username == "export_verdicts (command line)"
    assert f"{len(verdicts)} verdicts" in event.detail
    report = subprocess.run(
        [sys.executable, "-m", "bot.safety.report", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # 1 is a batch below the suite's floor (these are misses, by design); never a crash.
    assert report.returncode in (0, 1), report.stderr[-2000:]
    assert "Traceback" not in report.stderr
    assert str(out) in report.stdout and "conversations right" in report.stdout
    assert f"{1 + len(AWKWARD)})" in report.stdout  # emergency total, e.g. "(5/8)"


def test_the_command_prints_to_stdout(verdicts, capsys):
    call_command("export_verdicts")
    assert yaml.safe_load(capsys.readouterr().out)["traps"][0]["tier"] == "none"


def test_the_download_is_yaml_and_audited(verdicts, clinician_client):
    response = clinician_client.get("/review/export.yml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    assert "attachment;" in response["Content-Disposition"]
    assert yaml.safe_load(response.content.decode("utf-8")) == export_data(verdicts)
    event = AuditEvent.objects.filter(kind=Kind.VERDICT_EXPORT).get()
    assert event.username == "dr_jones"

"""Verdicts kept per message, and the running counts per model version."""

from __future__ import annotations

from datetime import timedelta

import pytest

from console.review.models import Verdict, VerdictKind
from console.review.verdicts import VerdictError, give_verdict, model_counts, withdraw_verdict
from tests.console.conftest import T0
from tests.console.review.conftest import last_event_id
from tests.console.transcripts.conftest import TS, user


def test_counts_per_model_version(clinician):
    def add(model, kind, tier, days, event):
        Verdict.objects.create(
            sender_id="web-c",
            event_id=event,
            kind=kind,
            tier=tier,
            text="t",
            model_id=model,
            message_at=T0 + timedelta(days=days),
            by=clinician,
        )

    add("model-old", VerdictKind.MISSED, "emergency", 0, 1)
    add("model-old", VerdictKind.MISSED, "urgent", 1, 2)
    add("model-old", VerdictKind.FALSE_ALARM, "none", 2, 3)
    add("model-new", VerdictKind.MISSED, "urgent", 5, 4)
    add("model-new", VerdictKind.MISSED, "urgent", 6, 5)
    add("", VerdictKind.FALSE_ALARM, "none", 3, 6)
    counts = model_counts()
    assert [(c.name, c.missed, c.false_alarms) for c in counts] == [
        ("model-new", 2, 0),
        ("not recorded", 0, 1),
        ("model-old", 2, 1),
    ]
    assert counts[0].tiers_text == "urgent 2"
    assert counts[2].tiers_text == "emergency 1, urgent 1"


def test_the_counts_are_on_the_review_page(clinician, clinician_client):
    Verdict.objects.create(
        sender_id="web-c", event_id=1, kind="missed", tier="soon", text="t",
        model_id="model-2026-11-20", by=clinician,
    )  # fmt: skip
    page = clinician_client.get("/review/").content.decode()
    assert "<code>model-2026-11-20</code>" in page
    assert "(soon 1)" in page


def test_a_verdict_copies_the_message_and_is_withdrawn_once(events_table, clinician):
    events_table("web-v", user("my foot keeps catching the stairs", "ask_pain", at=TS))
    event = last_event_id("web-v")
    verdict = give_verdict("web-v", event, VerdictKind.MISSED, "urgent", " drop foot ", clinician)
    assert verdict.text == "my foot keeps catching the stairs"
    assert verdict.note == "drop foot" and verdict.message_at.timestamp() == TS
    with pytest.raises(VerdictError):
        give_verdict("web-v", event, VerdictKind.MISSED, "emergency", "", clinician)
    assert withdraw_verdict("web-other", verdict.pk) is None  # another conversation's id
    assert withdraw_verdict("web-v", verdict.pk) is not None
    assert withdraw_verdict("web-v", verdict.pk) is None

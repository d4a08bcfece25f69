"""The review pages: who may see them, verdicts given and withdrawn by POST with CSRF, audited."""

from __future__ import annotations

import pytest
from django.test import Client

from console.audit.models import AuditEvent, Kind
from console.review.models import Verdict, VerdictKind
from console.transcripts.index import conversation_key, refresh_index
from tests.console.conftest import MODEL_BACKEND
from tests.console.review.conftest import last_event_id
from tests.console.transcripts.conftest import MODEL, TS, red_flag, user

QUIET = "web-quiet"
ALARMED = "web-alarmed"
MISSED_TEXT = "my legs went numb & I can't feel the <toilet> paper"


@pytest.fixture
def conversations(events_table, alert_on):
    """A conversation with a numb message and no alert, and one whose message raised an alert."""
    events_table(QUIET, user("hello", "greet", at=TS))
    events_table(QUIET, user(MISSED_TEXT, "ask_pain", at=TS + 60))
    flagged = red_flag("my back hurts after the gym, numb bum?", "numb bum", at=TS + 120)
    events_table(ALARMED, flagged, model_id="model-2026-12-01")
    alert_on(ALARMED, flagged)
    refresh_index()
    return {
        "quiet": (conversation_key(QUIET), last_event_id(QUIET)),
        "alarmed": (conversation_key(ALARMED), last_event_id(ALARMED)),
    }


def test_anonymous_visitors_are_sent_to_sign_in(conversations):
    key, event = conversations["quiet"]
    client = Client()
    for url in ("/review/", "/review/export.yml", f"/conversations/{key}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    response = client.post(f"/conversations/{key}/verdicts/", {"event": event, "kind": "missed"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Verdict.objects.exists()


def test_a_user_without_a_role_is_refused(make_user, conversations):
    client = Client()
    client.force_login(make_user("nobody", role=""), backend=MODEL_BACKEND)
    assert client.get("/review/").status_code == 403
    assert client.get("/review/export.yml").status_code == 403


def test_clinicians_and_admins_see_the_queue_with_reasons_audited(
    conversations, clinician_client, admin_client_, settings
):
    settings.CONSOLE_REVIEW_SAMPLE_RATE = 0.0
    response = clinician_client.get("/review/")
    assert response.status_code == 200
    page = response.content.decode()
    key, _ = conversations["quiet"]
    assert f'data-conversation="{key}"' in page
    assert "clinical words" in page and "\u201cnumb\u201d" in page
    assert conversations["alarmed"][0] not in page  # it raised an alert
    assert MISSED_TEXT not in page  # reasons name the words, never the message
    event = AuditEvent.objects.filter(kind=Kind.REVIEW_QUEUE_VIEW).get()
    assert event.username == "dr_jones" and "1 listed" in event.detail
    assert "or at random (0% of" in page and "under 0.50" in page
    assert admin_client_.get("/review/?reason=keyword").status_code == 200
    assert 'href="/review/"' in clinician_client.get("/cases/").content.decode()


def test_the_queue_filters_by_reason_and_pages(events_table, clinician_client, settings):
    settings.CONSOLE_REVIEW_SAMPLE_RATE = 1.0
    for n in range(55):
        events_table(f"web-{n:03d}", user("what is pacing", "ask_pacing", at=TS + n))
    events_table("web-low", user("erm", "ask_pacing", at=TS + 100, confidence=0.1))
    page = clinician_client.get("/review/").content.decode()
    assert "56 conversations to look at" in page and "page 1 of 2" in page
    assert page.count("<tr data-conversation=") == 50
    second = clinician_client.get("/review/?page=2").content.decode()
    assert second.count("<tr data-conversation=") == 6
    low = clinician_client.get("/review/?reason=low_confidence").content.decode()
    assert "1 conversation to look at for this reason" in low
    unknown = clinician_client.get("/review/?reason=nonsense").content.decode()
    assert "That reason is unknown" in unknown and "56 conversations" in unknown


def test_the_queue_filters_by_tag_and_shows_the_tags(events_table, clinician, clinician_client, settings):
    from console.annotations.tags import add_tags

    settings.CONSOLE_REVIEW_SAMPLE_RATE = 1.0
    for sender in ("web-a", "web-b", "web-c"):
        events_table(sender, user("what is pacing", "ask_pacing", at=TS))
    add_tags("web-a", "follow-up", clinician)
    add_tags("web-b", "follow-up", clinician, event_id=last_event_id("web-b"))
    add_tags("web-c", "sciatica", clinician)
    page = clinician_client.get("/review/?tag=Follow-Up").content.decode()
    assert "2 conversations to look at tagged &ldquo;follow-up&rdquo;" in page
    assert f'data-conversation="{conversation_key("web-c")}"' not in page
    assert '<span class="tag-name">follow-up</span> <span class="muted">(1 message)</span>' in page
    assert '<option value="follow-up"><option value="sciatica">' in page
    both = clinician_client.get("/review/?tag=sciatica&reason=sample").content.decode()
    assert "1 conversation to look at for this reason tagged &ldquo;sciatica&rdquo;" in both
    long = clinician_client.get("/review/?tag=" + "x" * 41).content.decode()
    assert "A tag is at most 40 characters long. Every tag is shown." in long
    assert "3 conversations to look at." in long
    assert "tag filter; " in AuditEvent.objects.filter(kind=Kind.REVIEW_QUEUE_VIEW).last().detail
    assert "sciatica" not in "".join(
        AuditEvent.objects.filter(kind=Kind.REVIEW_QUEUE_VIEW).values_list("detail", flat=True)
    )


def test_a_clinician_marks_a_missed_red_flag_and_withdraws_it(
    conversations, clinician_client, clinician
):
    key, event = conversations["quiet"]
    response = clinician_client.post(
        f"/conversations/{key}/verdicts/",
        {"event": event, "kind": "missed", "tier": "emergency", "note": "saddle numbness"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/conversations/{key}/#message-{event}"
    verdict = Verdict.objects.get()
    assert (verdict.sender_id, verdict.event_id, verdict.kind, verdict.tier) == (
        QUIET,
        event,
        VerdictKind.MISSED,
        "emergency",
    )
    assert verdict.text == MISSED_TEXT and verdict.by == clinician
    assert verdict.note == "saddle numbness" and verdict.model_id == MODEL
    page = response.content.decode()
    assert "Marked should have escalated (emergency)." in page
    assert "Clinician verdict: should have escalated (tier: emergency)" in page
    assert "by dr_jones" in page
    given = AuditEvent.objects.filter(kind=Kind.VERDICT).get()
    assert given.target == f"conversation:{key}" and "gave verdict" in given.detail
    assert "emergency" in given.detail and MISSED_TEXT not in given.detail

    again = clinician_client.post(
        f"/conversations/{key}/verdicts/",
        {"event": event, "kind": "missed", "tier": "urgent"},
        follow=True,
    )
    assert "already has a verdict" in again.content.decode()
    assert Verdict.objects.count() == 1

    withdrawn = clinician_client.post(
        f"/conversations/{key}/verdicts/{verdict.pk}/withdraw/", follow=True
    )
    assert "Verdict withdrawn" in withdrawn.content.decode()
    assert not Verdict.objects.exists()
    steps = list(AuditEvent.objects.filter(kind=Kind.VERDICT).order_by("id"))
    assert [step.detail.split(" ")[0] for step in steps] == ["gave", "withdrew"]
    twice = clinician_client.post(f"/conversations/{key}/verdicts/{verdict.pk}/withdraw/")
    assert twice.status_code == 302
    assert AuditEvent.objects.filter(kind=Kind.VERDICT).count() == 2


def test_an_alert_is_marked_a_false_alarm(conversations, clinician_client):
    key, event = conversations["alarmed"]
    page = clinician_client.get(f"/conversations/{key}/").content.decode()
    assert "This message raised an alert." in page
    assert "Mark should not have escalated" in page
    clinician_client.post(
        f"/conversations/{key}/verdicts/",
        {"event": event, "kind": "false_alarm", "note": "gym soreness"},
    )
    verdict = Verdict.objects.get()
    assert (verdict.kind, verdict.tier, verdict.model_id) == (
        VerdictKind.FALSE_ALARM,
        "none",
        "model-2026-12-01",
    )


@pytest.mark.parametrize(
    ("which", "form", "error"),
    [
        ("quiet", {"kind": "false_alarm"}, "That message raised no alert."),
        ("alarmed", {"kind": "missed", "tier": "soon"}, "already reached emergency"),
        ("quiet", {"kind": "missed"}, "Choose the tier"),
        ("quiet", {"kind": "missed", "tier": "urgent", "event": 999999}, "not a patient message"),
    ],
)
def test_verdicts_that_do_not_fit_the_message_are_refused(
    conversations, clinician_client, which, form, error
):
    key, event = conversations[which]
    response = clinician_client.post(
        f"/conversations/{key}/verdicts/", {"event": event, **form}, follow=True
    )
    assert error in response.content.decode()
    assert not Verdict.objects.exists()
    assert not AuditEvent.objects.filter(kind=Kind.VERDICT).exists()


def test_a_message_of_another_conversation_is_refused(conversations, clinician_client):
    key, _ = conversations["quiet"]
    _, other_event = conversations["alarmed"]
    clinician_client.post(
        f"/conversations/{key}/verdicts/",
        {"event": other_event, "kind": "missed", "tier": "emergency"},
    )
    assert not Verdict.objects.exists()


def test_verdicts_need_csrf(conversations, clinician):
    key, event = conversations["quiet"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(clinician, backend=MODEL_BACKEND)
    response = client.post(
        f"/conversations/{key}/verdicts/", {"event": event, "kind": "missed", "tier": "urgent"}
    )
    assert response.status_code == 403
    assert not Verdict.objects.exists()
    verdict = Verdict.objects.create(
        sender_id=QUIET, event_id=event, kind="missed", tier="urgent", text="x", by=clinician
    )
    assert client.post(f"/conversations/{key}/verdicts/{verdict.pk}/withdraw/").status_code == 403
    assert Verdict.objects.filter(pk=verdict.pk).exists()


def test_get_is_not_a_verdict(conversations, clinician_client):
    key, _ = conversations["quiet"]
    assert clinician_client.get(f"/conversations/{key}/verdicts/").status_code == 405


def test_the_settings_page_shows_the_review_settings_read_only(admin_client_, settings):
    settings.CONSOLE_REVIEW_SAMPLE_RATE = 0.1
    page = admin_client_.get("/settings/").content.decode()
    assert "BACKCARE_REVIEW_SAMPLE_RATE" in page and "<strong>10%</strong> (changed)" in page
    assert "BACKCARE_REVIEW_MIN_CONFIDENCE" in page
    assert "<form" not in page.split("<table")[1]

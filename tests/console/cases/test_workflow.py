"""Case states: new -> acknowledged -> patient contacted -> closed, each step recorded."""

from __future__ import annotations

import pytest
from django.test import Client

from console.audit.models import AuditEvent, Kind
from console.cases.models import CaseState, CaseTransition, OutboxAlert, State
from console.cases.workflow import state_of
from console.readonly import ReadOnlyError


def step(client, case_id, expected, note=""):
    return client.post(f"/cases/{case_id}/step/", {"expected": expected, "note": note})


def test_acknowledge_records_who_when_and_the_state(outbox, clinician_client, clinician, frozen):
    case_id = outbox.add()
    response = step(clinician_client, case_id, "new")
    assert response.status_code == 302
    assert state_of(case_id) == State.ACKNOWLEDGED
    transition = CaseTransition.objects.get(alert_id=case_id)
    assert (transition.from_state, transition.to_state, transition.by) == (
        "new",
        "acknowledged",
        clinician,
    )
    assert transition.at is not None


def test_each_step_in_order_to_closed_with_an_outcome(outbox, clinician_client, frozen):
    case_id = outbox.add(tier="urgent", flags=("fever",))
    step(clinician_client, case_id, "new")
    step(clinician_client, case_id, "acknowledged", "rang twice, left a message")
    assert state_of(case_id) == State.CONTACTED
    step(clinician_client, case_id, "contacted", "seen in urgent care, discharged")
    row = CaseState.objects.get(alert_id=case_id)
    assert row.state == State.CLOSED
    assert row.outcome == "seen in urgent care, discharged"
    steps = list(
        CaseTransition.objects.filter(alert_id=case_id).values_list(
            "from_state", "to_state", "note"
        )
    )
    assert steps == [
        ("new", "acknowledged", ""),
        ("acknowledged", "contacted", "rang twice, left a message"),
        ("contacted", "closed", "seen in urgent care, discharged"),
    ]


def test_closing_an_emergency_needs_an_outcome_note(outbox, clinician_client, frozen):
    case_id = outbox.add(tier="emergency")
    step(clinician_client, case_id, "new")
    step(clinician_client, case_id, "acknowledged")
    response = step(clinician_client, case_id, "contacted", "   ")
    assert state_of(case_id) == State.CONTACTED
    page = clinician_client.get(response["Location"]).content.decode()
    assert "an outcome note is required to close an emergency case" in page
    step(clinician_client, case_id, "contacted", "ambulance called; admitted")
    assert state_of(case_id) == State.CLOSED


def test_closing_a_soon_case_needs_no_note(outbox, clinician_client, frozen):
    case_id = outbox.add(tier="soon", flags=("night_pain",))
    for expected in ("new", "acknowledged", "contacted"):
        step(clinician_client, case_id, expected)
    assert state_of(case_id) == State.CLOSED


def test_detail_page_says_the_note_is_required_for_an_emergency_close(
    outbox, clinician_client, frozen
):
    case_id = outbox.add()
    step(clinician_client, case_id, "new")
    step(clinician_client, case_id, "acknowledged")
    page = clinician_client.get(f"/cases/{case_id}/").content.decode()
    assert "Outcome note (required)" in page
    assert 'required aria-required="true"' in page


def test_a_step_from_a_stale_state_moves_the_case_once(outbox, clinician_client, make_user, frozen):
    from tests.console.conftest import signed_in

    case_id = outbox.add()
    other = signed_in(make_user("dr_smith"))
    step(clinician_client, case_id, "new")
    step(other, case_id, "new")  # saw the same "new" case, pressed Acknowledge too
    assert state_of(case_id) == State.ACKNOWLEDGED
    assert CaseTransition.objects.filter(alert_id=case_id).count() == 1


def test_a_closed_case_has_no_next_step(outbox, clinician_client, frozen):
    case_id = outbox.add(tier="soon", flags=("night_pain",))
    for expected in ("new", "acknowledged", "contacted"):
        step(clinician_client, case_id, expected)
    step(clinician_client, case_id, "closed")
    assert CaseTransition.objects.filter(alert_id=case_id).count() == 3
    assert "This case is closed." in clinician_client.get(f"/cases/{case_id}/").content.decode()


def test_steps_and_views_are_audited(outbox, clinician_client, frozen):
    case_id = outbox.add()
    clinician_client.get(f"/cases/{case_id}/")
    step(clinician_client, case_id, "new")
    view = AuditEvent.objects.get(kind=Kind.CASE_VIEW)
    change = AuditEvent.objects.get(kind=Kind.CASE_CHANGE)
    assert (view.username, view.target) == ("dr_jones", f"case:{case_id}")
    assert (change.target, change.detail) == (f"case:{case_id}", "new -> acknowledged")


def test_detail_escapes_the_message_and_masks_the_number(outbox, clinician_client, frozen):
    case_id = outbox.add(
        message="<img src=x onerror=alert(1)>", conversation_id="+447700900123", channel="twilio"
    )
    page = clinician_client.get(f"/cases/{case_id}/").content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "+447700900123" not in page
    assert "+44 ••• ••• 123" in page


def test_unknown_case_is_404(outbox, clinician_client):
    assert clinician_client.get("/cases/999/").status_code == 404
    assert clinician_client.post("/cases/999/step/", {"expected": "new"}).status_code == 404


def test_step_without_csrf_token_is_refused(outbox, clinician, frozen):
    from tests.console.conftest import MODEL_BACKEND

    case_id = outbox.add()
    client = Client(enforce_csrf_checks=True)
    client.force_login(clinician, backend=MODEL_BACKEND)
    assert client.post(f"/cases/{case_id}/step/", {"expected": "new"}).status_code == 403
    assert state_of(case_id) == State.NEW


def test_step_is_post_only(outbox, clinician_client, frozen):
    case_id = outbox.add()
    assert clinician_client.get(f"/cases/{case_id}/step/").status_code == 405


def test_the_outbox_model_refuses_to_write(outbox, frozen):
    case_id = outbox.add()
    alert = OutboxAlert.objects.get(id=case_id)
    with pytest.raises(ReadOnlyError):
        alert.save()
    with pytest.raises(ReadOnlyError):
        alert.delete()
    assert alert.flags == ["cauda_equina_bladder"]


def test_acknowledging_from_the_queue_returns_to_the_queue_as_a_person(
    outbox, clinician_client, frozen
):
    case_id = outbox.add()
    page = clinician_client.get("/cases/?show=open&auto=1").content.decode()
    assert '<input type="hidden" name="next" value="/cases/?show=open">' in page
    response = clinician_client.post(
        f"/cases/{case_id}/step/", {"expected": "new", "next": "/cases/?show=open"}
    )
    assert response["Location"] == "/cases/?show=open"


def test_a_step_never_redirects_off_site(outbox, clinician_client, frozen):
    case_id = outbox.add()
    response = clinician_client.post(
        f"/cases/{case_id}/step/", {"expected": "new", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/cases/{case_id}/"

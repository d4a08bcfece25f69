"""The admins' retention pages: legal hold and erasure; clinicians refused, CSRF enforced."""

from __future__ import annotations

import pytest

from console.audit.models import AuditEvent, Kind
from console.cases.masking import pseudonym
from console.retention.erasure import count_conversation
from console.retention.models import LegalHold
from console.transcripts.index import conversation_key
from tests.console.conftest import signed_in
from tests.console.retention.conftest import OLD, rows_naming

PHONE = "+447700900123"
MESSAGE = "I can't feel my saddle area since this morning"


@pytest.fixture
def patient(seed):
    return seed(PHONE, last=OLD, case="closed", message=MESSAGE)


def erase_url(sender: str = PHONE) -> str:
    return f"/conversations/{conversation_key(sender)}/erase/"


def hold_url(sender: str = PHONE) -> str:
    return f"/conversations/{conversation_key(sender)}/hold/"


def test_clinicians_are_refused_both_pages(patient, clinician_client):
    before = count_conversation(PHONE)
    assert clinician_client.get(erase_url()).status_code == 403
    response = clinician_client.post(erase_url(), {"pseudonym": pseudonym(PHONE)})
    assert response.status_code == 403
    assert clinician_client.post(hold_url(), {"hold": "yes"}).status_code == 403
    assert count_conversation(PHONE) == before
    assert not LegalHold.objects.exists()


def test_visitors_are_sent_to_sign_in(patient, client):
    response = client.get(erase_url())
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_shows_what_would_go_and_asks_for_the_pseudonym(patient, admin_client_):
    page = admin_client_.get(erase_url()).content.decode()
    assert f"Erase patient {pseudonym(PHONE)}" in page
    assert "<code>events</code></th><td>3</td>" in page
    assert 'name="pseudonym"' in page and "csrfmiddlewaretoken" in page
    assert PHONE not in page and MESSAGE not in page


def test_a_wrong_pseudonym_is_refused_and_nothing_goes(patient, admin_client_):
    before = count_conversation(PHONE)
    for typed in ("", "P-00000000", conversation_key(PHONE), PHONE):
        response = admin_client_.post(erase_url(), {"pseudonym": typed})
        assert response.status_code == 400, typed
        assert "nothing was erased" in response.content.decode() or not typed
    assert count_conversation(PHONE) == before
    assert not AuditEvent.objects.filter(kind=Kind.ERASURE).exists()


def test_the_right_pseudonym_erases_everywhere_and_the_audit_names_nobody(
    patient, admin_client_, admin_user
):
    response = admin_client_.post(erase_url(), {"pseudonym": pseudonym(PHONE)})
    assert response.status_code == 302 and response["Location"] == "/conversations/"
    # Every table, the audit included: no row names the patient or holds their words.
    assert rows_naming(PHONE, MESSAGE, "00900123", alert_ids=(patient.alert_id,)) == {}
    audit = AuditEvent.objects.get(kind=Kind.ERASURE)
    assert audit.user == admin_user and audit.username == admin_user.username
    assert audit.target.startswith("erasure:E-")
    assert "events=3" in audit.detail and "care_team_outbox=1" in audit.detail
    row = " ".join(str(getattr(audit, field.attname)) for field in audit._meta.fields)
    for personal in (PHONE, "00900123", MESSAGE, pseudonym(PHONE), conversation_key(PHONE)):
        assert personal not in row, personal


def test_open_cases_need_the_box_ticked(seed, admin_client_):
    seed(PHONE, case="new", message=MESSAGE)
    page = admin_client_.get(erase_url()).content.decode()
    assert "1 open case" in page and 'name="include_open_cases"' in page
    refused = admin_client_.post(erase_url(), {"pseudonym": pseudonym(PHONE)})
    assert refused.status_code == 400 and "tick the box" in refused.content.decode()
    assert any(count_conversation(PHONE).values())
    done = admin_client_.post(
        erase_url(), {"pseudonym": pseudonym(PHONE), "include_open_cases": "on"}
    )
    assert done.status_code == 302
    assert not any(count_conversation(PHONE).values())


def test_a_held_conversation_is_refused_until_the_hold_is_cleared(
    patient, admin_client_, admin_user
):
    LegalHold.objects.create(sender_id=PHONE, by=admin_user)
    page = admin_client_.get(erase_url()).content.decode()
    assert "under a legal hold</strong>, so it cannot be erased" in page
    assert 'name="pseudonym"' not in page
    before = count_conversation(PHONE)
    response = admin_client_.post(erase_url(), {"pseudonym": pseudonym(PHONE)})
    assert response.status_code == 409
    assert count_conversation(PHONE) == before
    assert not AuditEvent.objects.filter(kind=Kind.ERASURE).exists()


def test_csrf_is_enforced(patient, admin_user):
    strict = signed_in(admin_user, enforce_csrf_checks=True)
    before = count_conversation(PHONE)
    assert strict.post(erase_url(), {"pseudonym": pseudonym(PHONE)}).status_code == 403
    assert strict.post(hold_url(), {"hold": "yes"}).status_code == 403
    assert count_conversation(PHONE) == before
    assert not LegalHold.objects.exists()


def test_admins_set_and_clear_a_legal_hold_audited(patient, admin_client_, admin_user):
    transcript = f"/conversations/{conversation_key(PHONE)}/"
    assert "Set a legal hold" in admin_client_.get(transcript).content.decode()

    assert admin_client_.post(hold_url(), {"hold": "yes"})["Location"] == transcript
    hold = LegalHold.objects.get(sender_id=PHONE)
    assert hold.by == admin_user
    page = admin_client_.get(transcript).content.decode()
    assert "legal hold</strong> set by <strong>admin_ali" in page
    assert "Clear the legal hold" in page
    admin_client_.post(hold_url(), {"hold": "yes"})  # again: nothing changes, not audited

    admin_client_.post(hold_url(), {"hold": "no"})
    assert not LegalHold.objects.exists()
    details = list(
        AuditEvent.objects.filter(kind=Kind.LEGAL_HOLD)
        .order_by("id")
        .values_list("target", "detail")
    )
    target = f"conversation:{conversation_key(PHONE)}"
    assert details == [(target, "legal hold set"), (target, "legal hold cleared")]


def test_clinicians_see_no_retention_controls(patient, clinician_client):
    page = clinician_client.get(f"/conversations/{conversation_key(PHONE)}/").content.decode()
    assert "legal hold" not in page and "/erase/" not in page

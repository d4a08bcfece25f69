"""The reviewed mark: set and taken off by POST with CSRF, audited, shown in the list."""

from __future__ import annotations

import pytest
from django.test import Client

from console.audit.models import AuditEvent, Kind
from console.cases.masking import pseudonym
from console.transcripts.index import conversation_key
from console.transcripts.models import ConversationReview
from console.transcripts.review import mark_reviewed, review_of, unmark_reviewed
from tests.console.conftest import MODEL_BACKEND, signed_in
from tests.console.transcripts.conftest import TS, user

SENDER = "web-review"


@pytest.fixture
def key(events_table):
    events_table(SENDER, user("hello", at=TS))
    events_table(SENDER, user("later message", at=TS + 86400 * 30))
    return conversation_key(SENDER)


def test_mark_and_unmark(clinician, admin_user, db):
    assert review_of(SENDER) is None
    assert mark_reviewed(SENDER, clinician) is True
    assert mark_reviewed(SENDER, admin_user) is False  # the first mark stands
    assert review_of(SENDER).by == clinician
    assert unmark_reviewed(SENDER) is True
    assert unmark_reviewed(SENDER) is False
    assert review_of(SENDER) is None


def test_a_clinician_marks_a_conversation_reviewed(key, clinician_client):
    response = clinician_client.post(
        f"/conversations/{key}/review/", {"reviewed": "yes"}, follow=True
    )
    page = response.content.decode()
    assert f"Conversation {pseudonym(SENDER)} is marked reviewed." in page
    assert "Reviewed by <strong>dr_jones</strong>" in page
    assert "Remove the reviewed mark" in page
    event = AuditEvent.objects.get(kind=Kind.CONVERSATION_REVIEW)
    assert (event.username, event.target, event.detail) == (
        "dr_jones",
        f"conversation:{key}",
        "marked reviewed",
    )
    assert ConversationReview.objects.get().by.get_username() == "dr_jones"


def test_and_takes_the_mark_off(key, clinician, clinician_client):
    mark_reviewed(SENDER, clinician)
    page = clinician_client.post(
        f"/conversations/{key}/review/", {"reviewed": "no"}, follow=True
    ).content.decode()
    assert f"Conversation {pseudonym(SENDER)} is no longer marked reviewed." in page
    assert "Mark reviewed" in page
    assert not ConversationReview.objects.exists()
    assert AuditEvent.objects.get(kind=Kind.CONVERSATION_REVIEW).detail == "reviewed mark removed"


def test_nothing_to_change_is_said_and_not_audited(key, clinician_client):
    page = clinician_client.post(
        f"/conversations/{key}/review/", {"reviewed": "no"}, follow=True
    ).content.decode()
    assert "was not marked reviewed" in page
    assert not AuditEvent.objects.filter(kind=Kind.CONVERSATION_REVIEW).exists()


def test_newer_messages_after_the_review_are_pointed_out(key, clinician, clinician_client):
    mark_reviewed(SENDER, clinician)
    ConversationReview.objects.update(
        at=ConversationReview.objects.get().at.replace(year=2026, month=11, day=26)
    )
    page = clinician_client.get(f"/conversations/{key}/").content.decode()
    assert "There are newer messages." in page


def test_it_goes_back_to_a_page_of_this_site_only(key, clinician_client):
    response = clinician_client.post(
        f"/conversations/{key}/review/",
        {"reviewed": "yes", "next": f"/conversations/{key}/?page=2"},
    )
    assert response["Location"] == f"/conversations/{key}/?page=2"
    response = clinician_client.post(
        f"/conversations/{key}/review/", {"reviewed": "no", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/conversations/{key}/"


def test_a_bad_value_changes_nothing(key, clinician_client):
    page = clinician_client.post(
        f"/conversations/{key}/review/", {"reviewed": "maybe"}, follow=True
    ).content.decode()
    assert "The mark could not be read" in page
    assert not ConversationReview.objects.exists()


def test_it_needs_post_csrf_and_a_role(key, clinician, client, make_user):
    assert client.post(f"/conversations/{key}/review/", {"reviewed": "yes"}).status_code == 302
    nobody = signed_in(make_user("nobody", role=""))
    assert nobody.post(f"/conversations/{key}/review/", {"reviewed": "yes"}).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(clinician, backend=MODEL_BACKEND)
    assert strict.post(f"/conversations/{key}/review/", {"reviewed": "yes"}).status_code == 403
    assert signed_in(clinician).get(f"/conversations/{key}/review/").status_code == 405
    assert not ConversationReview.objects.exists()
    assert (
        signed_in(clinician)
        .post(f"/conversations/{conversation_key('nobody')}/review/", {"reviewed": "yes"})
        .status_code
        == 404
    )


def test_the_form_on_the_page_carries_the_csrf_token(key, clinician_client):
    page = clinician_client.get(f"/conversations/{key}/").content.decode()
    form = page[page.index(f'action="/conversations/{key}/review/"') :]
    form = form[: form.index("</form>")]
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'name="reviewed" value="yes"' in form

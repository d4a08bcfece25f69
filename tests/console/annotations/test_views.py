"""Tags and notes on the conversation's page: shown, changed by POST with CSRF, by role, audited."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client

from console.annotations.models import Note, Tag
from console.annotations.notes import add_note
from console.annotations.tags import add_tags
from console.audit.models import AuditEvent, Kind
from console.transcripts.index import conversation_key
from console.transcripts.models import ConversationReview
from tests.console.annotations.conftest import FIRST, SENDER
from tests.console.conftest import MODEL_BACKEND, signed_in

NOTE = "Spoke to her daughter: she fell on 3 March and saw the GP."


def page_of(client, chat, query=""):
    response = client.get(f"/conversations/{chat.key}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def section(page, start, end):
    return page[page.index(start) : page.index(end, page.index(start))]


def audit_details(kind):
    return [event.detail for event in AuditEvent.objects.filter(kind=kind).order_by("id")]


def test_a_clinician_tags_the_conversation(chat, clinician_client):
    response = clinician_client.post(
        f"/conversations/{chat.key}/tags/", {"tags": "Sciatica, Follow-up"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/conversations/{chat.key}/#tags"
    page = response.content.decode()
    assert "Tagged the conversation \u201csciatica\u201d, \u201cfollow-up\u201d." in page
    summary = section(page, 'id="tags"', "</section>")
    assert '<span class="tag-name"' in summary and ">sciatica</span>" in summary
    assert 'aria-label="Remove the tag follow-up from the conversation"' in summary
    ids = sorted(Tag.objects.values_list("pk", flat=True))
    event = AuditEvent.objects.get(kind=Kind.TAG)
    assert (event.username, event.target) == ("dr_jones", f"conversation:{chat.key}")
    assert event.detail == f"added 2 tags on the conversation: ids {ids[0]},{ids[1]}"


def test_a_clinician_tags_one_message_and_the_summary_links_it(chat, clinician_client):
    response = clinician_client.post(
        f"/conversations/{chat.key}/tags/",
        {"tags": "fall", "event": chat.patient, "next": f"/conversations/{chat.key}/?page=1"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/conversations/{chat.key}/?page=1#message-{chat.patient}"
    clinician_client.post(
        f"/conversations/{chat.key}/tags/", {"tags": "fall", "event": chat.care_team}
    )
    page = page_of(clinician_client, chat)
    summary = section(page, 'id="tags"', "</section>")
    assert "2 messages tagged" in summary
    assert '<span class="tag-name">fall</span> &times; 2' in summary
    assert f'href="#message-{chat.patient}">patient, 25 Nov 09:00</a>' in summary
    assert f'href="#message-{chat.care_team}">care team, 25 Nov 09:01</a>' in summary
    message = section(page, f'id="message-{chat.patient}"', "</li>")
    assert ">fall</span>" in message and "Remove the tag fall from this message" in message
    assert audit_details(Kind.TAG)[0].startswith(f"added 1 tag on message {chat.patient}: ids ")


def test_the_summary_links_to_the_page_holding_the_message(chat, clinician, clinician_client, monkeypatch):
    from console.transcripts import lines

    monkeypatch.setattr(lines, "TURNS_PER_PAGE", 1)
    add_tags(SENDER, "thanks", clinician, event_id=chat.later)
    page = page_of(clinician_client, chat)
    assert f'href="?page=2#message-{chat.later}">patient, 25 Nov 09:02</a>' in page


def test_every_message_can_be_tagged_and_suggestions_are_offered(chat, clinician, clinician_client):
    add_tags("web-other", "anxiety", clinician)
    page = page_of(clinician_client, chat)
    for event_id in (chat.patient, chat.assistant, chat.care_team, chat.later):
        form = section(page, f'<input type="hidden" name="event" value="{event_id}">', "</form>")
        assert 'list="tag-suggestions"' in form
    assert page.count("Tag this message") == 4
    assert '<datalist id="tag-suggestions"><option value="anxiety"></datalist>' in page


def test_tags_already_there_or_unreadable_change_nothing(chat, clinician_client):
    clinician_client.post(f"/conversations/{chat.key}/tags/", {"tags": "fall"})
    again = clinician_client.post(
        f"/conversations/{chat.key}/tags/", {"tags": "FALL"}, follow=True
    ).content.decode()
    assert "The conversation already has those tags." in again
    bad = clinician_client.post(
        f"/conversations/{chat.key}/tags/", {"tags": "!!!"}, follow=True
    ).content.decode()
    assert "Type a tag" in bad
    elsewhere = clinician_client.post(
        f"/conversations/{chat.key}/tags/", {"tags": "x", "event": 999_999}, follow=True
    ).content.decode()
    assert "That message is not in this conversation." in elsewhere
    empty = clinician_client.post(
        f"/conversations/{chat.key}/tags/", {"tags": ""}, follow=True
    ).content.decode()
    assert "The tags could not be read" in empty
    assert list(Tag.objects.values_list("tag", flat=True)) == ["fall"]
    assert len(audit_details(Kind.TAG)) == 1


def test_removing_a_tag(chat, clinician, admin_client_):
    tag = add_tags(SENDER, "fall", clinician, event_id=chat.patient)[0]
    response = admin_client_.post(f"/conversations/{chat.key}/tags/{tag.pk}/remove/", follow=True)
    assert response.redirect_chain[-1][0] == f"/conversations/{chat.key}/#message-{chat.patient}"
    assert "Removed the tag \u201cfall\u201d from message" in response.content.decode()
    assert not Tag.objects.exists()
    assert audit_details(Kind.TAG) == [
        f"removed tag {tag.pk} from message {chat.patient}; added by dr_jones"
    ]
    again = admin_client_.post(f"/conversations/{chat.key}/tags/{tag.pk}/remove/", follow=True)
    assert "That tag was already removed." in again.content.decode()
    assert len(audit_details(Kind.TAG)) == 1


def test_a_tag_cannot_be_removed_through_another_conversation(chat, events_table, clinician, clinician_client):
    from tests.console.transcripts.conftest import TS, user

    events_table("web-other", user("hello", at=TS))
    tag = add_tags(SENDER, "fall", clinician)[0]
    other = conversation_key("web-other")
    clinician_client.post(f"/conversations/{other}/tags/{tag.pk}/remove/")
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_a_clinician_writes_edits_and_deletes_a_private_note(chat, clinician_client):
    response = clinician_client.post(f"/conversations/{chat.key}/notes/", {"text": NOTE}, follow=True)
    assert response.redirect_chain[-1][0] == f"/conversations/{chat.key}/#notes"
    page = response.content.decode()
    assert "Your note is saved. Only the care team sees it." in page
    notes = section(page, 'id="notes"', "</section>")
    assert NOTE in notes and "<strong>dr_jones</strong>, <time" in notes
    assert "never shown to the patient or sent anywhere" in notes
    note = Note.objects.get()
    edited = clinician_client.post(
        f"/conversations/{chat.key}/notes/{note.pk}/edit/", {"text": NOTE + " Better now."}, follow=True
    ).content.decode()
    assert "Your note is updated." in edited and "(edited <time" in edited
    same = clinician_client.post(
        f"/conversations/{chat.key}/notes/{note.pk}/edit/", {"text": NOTE + " Better now."}, follow=True
    ).content.decode()
    assert "The note is unchanged." in same
    deleted = clinician_client.post(
        f"/conversations/{chat.key}/notes/{note.pk}/delete/", follow=True
    ).content.decode()
    assert "Your note is deleted." in deleted and "No notes yet." in deleted
    assert not Note.objects.exists()
    details = audit_details(Kind.NOTE)
    assert details[0] == f"wrote note {note.pk} ({len(NOTE)} characters)"
    assert details[1] == f"edited note {note.pk} (now {len(NOTE) + 12} characters)"
    assert re.fullmatch(
        rf"deleted note {note.pk} \(written \d{{4}}-\d\d-\d\d \d\d:\d\d UTC, {len(NOTE) + 12} characters\)",
        details[2],
    )
    assert len(details) == 3


def test_a_note_too_long_or_empty_is_refused(chat, clinician_client):
    long = clinician_client.post(
        f"/conversations/{chat.key}/notes/", {"text": "x" * 2001}, follow=True
    ).content.decode()
    assert "A note is at most 2,000 characters long." in long
    empty = clinician_client.post(f"/conversations/{chat.key}/notes/", {"text": ""}, follow=True)
    assert "Write something in the note first." in empty.content.decode()
    assert not Note.objects.exists() and not audit_details(Kind.NOTE)


def test_only_the_author_may_edit_or_delete_a_note(chat, clinician, admin_client_):
    note = add_note(SENDER, NOTE, clinician)
    page = page_of(admin_client_, chat)
    assert NOTE in page and "Edit or delete this note" not in page
    assert admin_client_.post(
        f"/conversations/{chat.key}/notes/{note.pk}/edit/", {"text": "changed"}
    ).status_code == 403
    assert admin_client_.post(f"/conversations/{chat.key}/notes/{note.pk}/delete/").status_code == 403
    assert Note.objects.get().text == NOTE and not audit_details(Kind.NOTE)
    assert "Edit or delete this note" in page_of(signed_in(clinician), chat)


def test_words_stay_text_and_stay_out_of_the_audit(chat, clinician_client):
    hostile = "<img src=x onerror=alert(1)> she said \u201cI can't feel my legs\u201d"
    clinician_client.post(f"/conversations/{chat.key}/notes/", {"text": hostile})
    clinician_client.post(f"/conversations/{chat.key}/tags/", {"tags": "legs numb, <b>bold</b>"})
    page = page_of(clinician_client, chat)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>bold" not in page and ">b bold /b</span>" in page
    for event in AuditEvent.objects.filter(kind__in=[Kind.TAG, Kind.NOTE]):
        for words in ("legs", "numb", "bold", "img", "feel"):
            assert words not in event.detail and words not in event.target


def test_notes_and_tags_never_reach_the_conversation(chat, clinician_client):
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM events")
        before = cursor.fetchone()[0]
    clinician_client.post(f"/conversations/{chat.key}/notes/", {"text": NOTE})
    clinician_client.post(f"/conversations/{chat.key}/tags/", {"tags": "fall", "event": chat.patient})
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM events")
        assert cursor.fetchone()[0] == before
        cursor.execute("SELECT COUNT(*) FROM events WHERE data LIKE %s", ["%daughter%"])
        assert cursor.fetchone()[0] == 0


def test_the_transcript_read_from_a_case_shows_them_too(chat, outbox, clinician, clinician_client):
    add_tags(SENDER, "fall", clinician)
    add_note(SENDER, NOTE, clinician)
    alert = outbox.add(message=FIRST, conversation_id=SENDER, channel="twilio")
    page = clinician_client.get(f"/conversations/{alert}/").content.decode()
    assert ">fall</span>" in page and NOTE in page


CHANGES = [
    ("tags/", {"tags": "fall"}),
    ("tags/{tag}/remove/", {}),
    ("notes/", {"text": "mine"}),
    ("notes/{note}/edit/", {"text": "changed"}),
    ("notes/{note}/delete/", {}),
    ("review/", {"reviewed": "yes"}),
]


@pytest.fixture
def existing(chat, reader):
    """A tag and a note the reader wrote earlier (when they still held the right to)."""
    tag = add_tags(SENDER, "existing", reader)[0]
    note = add_note(SENDER, NOTE, reader)
    return {"tag": tag.pk, "note": note.pk}


@pytest.mark.parametrize(("path", "data"), CHANGES)
def test_a_reader_sees_but_cannot_change(chat, existing, reader_client, path, data):
    url = f"/conversations/{chat.key}/" + path.format(**existing)
    assert reader_client.post(url, data).status_code == 403
    assert list(Tag.objects.values_list("tag", flat=True)) == ["existing"]
    assert Note.objects.get().text == NOTE
    assert not ConversationReview.objects.exists()
    assert not AuditEvent.objects.filter(kind__in=[Kind.TAG, Kind.NOTE, Kind.CONVERSATION_REVIEW])


def test_the_reader_is_shown_no_form(chat, existing, reader_client):
    page = page_of(reader_client, chat)
    assert ">existing</span>" in page and NOTE in page
    for form in ("Tag this message", "Tag the conversation", "Add the note", "Edit or delete",
                 "Mark reviewed", "Remove the tag", "tag-suggestions"):
        assert form not in page, form
    assert "Not reviewed yet." in page


@pytest.mark.parametrize(("path", "data"), CHANGES)
def test_every_change_needs_post_csrf_and_a_role(chat, existing, clinician, client, make_user, path, data):
    url = f"/conversations/{chat.key}/" + path.format(**existing)
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert signed_in(make_user("nobody", role="")).post(url, data).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(clinician, backend=MODEL_BACKEND)
    assert strict.post(url, data).status_code == 403
    assert signed_in(clinician).get(url).status_code == 405
    other = f"/conversations/{conversation_key('nobody')}/" + path.format(**existing)
    assert signed_in(clinician).post(other, data).status_code == 404
    assert Tag.objects.count() == 1 and Note.objects.count() == 1


def test_every_form_on_the_page_carries_the_csrf_token(chat, clinician, clinician_client):
    add_tags(SENDER, "fall", clinician, event_id=chat.patient)
    add_note(SENDER, NOTE, clinician)
    page = page_of(clinician_client, chat)
    forms = re.findall(r"<form method=\"post\".*?</form>", page, flags=re.S)
    assert len(forms) >= 10
    assert all('name="csrfmiddlewaretoken"' in form for form in forms)


def test_it_goes_back_to_a_page_of_this_site_only(chat, clinician_client):
    response = clinician_client.post(
        f"/conversations/{chat.key}/notes/", {"text": NOTE, "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/conversations/{chat.key}/#notes"

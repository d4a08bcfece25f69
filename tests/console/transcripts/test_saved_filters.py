"""Saved filters: the list's filter saved under a name, per user, applied by a link, deleted."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client

from console.annotations.tags import add_tags
from console.audit.models import AuditEvent, Kind
from console.transcripts import saved_filters
from console.transcripts.forms import ConversationFilterForm
from console.transcripts.index import conversation_key
from console.transcripts.models import SavedFilter
from console.transcripts.saved_filters import (
    SavedFilterError,
    delete_filter,
    filter_query,
    filters_of,
    query_fields,
    save_filter,
)
from tests.console.conftest import MODEL_BACKEND, signed_in
from tests.console.transcripts.conftest import TS, red_flag

PHONE = "+447700900123"


def form_for(query, channels=("socketio", "twilio")):
    return ConversationFilterForm(QueryDict(query), channels=list(channels), intents=["greet"])


@pytest.mark.parametrize(
    ("query", "saved"),
    [
        ("tag=Fall!&tier=emergency", "tier=emergency&tag=fall"),  # the form's order, normalised
        ("reviewed=no&start=2026-11-25&q=+numb+legs", "q=numb+legs&start=2026-11-25&reviewed=no"),
        ("tier=purple&channel=fax&fallback=yes", "fallback=yes"),  # refused values left out
        ("page=3&intent=greet&channel=", "intent=greet"),
        ("", ""),
    ],
)
def test_the_saved_query_holds_the_valid_filters_only(db, query, saved):
    assert filter_query(form_for(query)) == saved


def test_query_fields():
    assert query_fields("tier=emergency&tag=fall") == ["tier", "tag"]


def test_save_replace_and_delete(clinician, admin_user):
    first, created = save_filter(clinician, "  Falls \u00a0 to   check\x07 ", "tag=fall")
    assert created and first.name == "Falls to check"
    again, created = save_filter(clinician, "Falls to check", "tag=fall&reviewed=no")
    assert not created and again.pk == first.pk and again.query == "tag=fall&reviewed=no"
    theirs, created = save_filter(admin_user, "Falls to check", "tag=fall")
    assert created and theirs.pk != first.pk
    assert [f.name for f in filters_of(clinician)] == ["Falls to check"]
    assert delete_filter(admin_user, first.pk) is None  # not theirs
    assert delete_filter(clinician, first.pk).pk == first.pk
    assert delete_filter(clinician, first.pk) is None
    assert list(SavedFilter.objects.values_list("user__username", flat=True)) == ["admin_ali"]


@pytest.mark.parametrize(
    ("name", "query", "says"),
    [
        ("", "tag=fall", "Give the filter a name."),
        ("\x07 \t", "tag=fall", "Give the filter a name."),
        ("x" * 81, "tag=fall", "at most 80 characters"),
        ("Everything", "", "Choose at least one filter"),
    ],
)
def test_a_filter_that_cannot_be_saved(clinician, name, query, says):
    with pytest.raises(SavedFilterError, match=says):
        save_filter(clinician, name, query)
    assert not SavedFilter.objects.exists()


def test_a_user_has_a_limited_number(clinician, monkeypatch):
    monkeypatch.setattr(saved_filters, "MAX_PER_USER", 2)
    save_filter(clinician, "a", "tag=a")
    save_filter(clinician, "b", "tag=b")
    save_filter(clinician, "b", "tag=bb")  # replacing is still allowed
    with pytest.raises(SavedFilterError, match="You have 2 saved filters"):
        save_filter(clinician, "c", "tag=c")


@pytest.fixture
def listed_three(talk, events_table, clinician):
    talk("web-calm", [("what is pacing", "ask_pacing")], start=TS)
    talk("web-other", [("hello", "greet")], start=TS + 10)
    events_table(PHONE, red_flag("I wet myself", "wet myself", at=TS + 20, channel="twilio"))
    add_tags("web-calm", "follow-up", clinician)
    add_tags(PHONE, "follow-up", clinician)


def keys(page):
    return re.findall(r'data-conversation="(P-[0-9a-f]{16})"', page)


def test_a_clinician_saves_the_current_filter_and_applies_it(listed_three, clinician_client):
    page = clinician_client.get("/conversations/").content.decode()
    assert "None yet" in page and "Save the current filter as" not in page
    filtered = clinician_client.get("/conversations/?tag=Follow-up&reviewed=no&page=1")
    form = filtered.content.decode()
    assert '<input type="hidden" name="query" value="reviewed=no&amp;tag=follow-up">' in form
    response = clinician_client.post(
        "/conversations/filters/",
        {"name": "Follow-ups to review", "query": "reviewed=no&tag=follow-up"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/conversations/?reviewed=no&tag=follow-up"
    applied = response.content.decode()
    assert "Filter \u201cFollow-ups to review\u201d saved." in applied
    assert (
        '<a href="?reviewed=no&amp;tag=follow-up" aria-current="true">Follow-ups to review</a>'
        in applied
    )
    assert keys(applied) == [conversation_key(PHONE), conversation_key("web-calm")]
    saved = SavedFilter.objects.get()
    assert saved.user.get_username() == "dr_jones"
    event = AuditEvent.objects.get(kind=Kind.SAVED_FILTER)
    assert (event.target, event.detail) == (
        f"saved_filter:{saved.pk}",
        f"saved filter {saved.pk}; fields: reviewed, tag",
    )
    # Applied later, from the unfiltered list: the link gives the same conversations.
    unfiltered = clinician_client.get("/conversations/").content.decode()
    assert 'aria-current="true"' not in unfiltered
    link = re.search(r'<a href="\?([^"]+)">Follow-ups to review</a>', unfiltered).group(1)
    again = clinician_client.get("/conversations/?" + link.replace("&amp;", "&")).content.decode()
    assert keys(again) == keys(applied)


def test_saving_under_a_used_name_replaces_it(listed_three, clinician_client):
    clinician_client.post("/conversations/filters/", {"name": "Mine", "query": "tag=follow-up"})
    page = clinician_client.post(
        "/conversations/filters/", {"name": "Mine", "query": "tier=emergency"}, follow=True
    ).content.decode()
    assert "Filter \u201cMine\u201d replaced with the current filter." in page
    assert SavedFilter.objects.get().query == "tier=emergency"
    assert AuditEvent.objects.filter(kind=Kind.SAVED_FILTER).first().detail.startswith("replaced")


def test_a_filter_refused_says_why(listed_three, clinician_client):
    page = clinician_client.post(
        "/conversations/filters/", {"name": "Nothing", "query": "tier=purple&page=2"}, follow=True
    ).content.decode()
    assert "Choose at least one filter before saving it." in page
    nameless = clinician_client.post(
        "/conversations/filters/", {"name": " ", "query": "tag=follow-up"}, follow=True
    )
    assert nameless.redirect_chain[-1][0] == "/conversations/?tag=follow-up"
    assert "Give the filter a name." in nameless.content.decode()
    assert not SavedFilter.objects.exists() and not AuditEvent.objects.filter(kind=Kind.SAVED_FILTER)


def test_each_user_sees_and_deletes_only_their_own(listed_three, clinician, admin_user):
    mine, _ = save_filter(clinician, "Mine & <b>bold</b>", "tag=follow-up")
    theirs, _ = save_filter(admin_user, "Theirs", "tier=emergency")
    me = signed_in(clinician)
    page = me.get("/conversations/").content.decode()
    assert "Mine &amp; &lt;b&gt;bold&lt;/b&gt;" in page and "Theirs" not in page
    refused = me.post(f"/conversations/filters/{theirs.pk}/delete/", follow=True).content.decode()
    assert "That filter is not among yours" in refused
    assert SavedFilter.objects.filter(pk=theirs.pk).exists()
    done = me.post(
        f"/conversations/filters/{mine.pk}/delete/", {"query": "tier=emergency"}, follow=True
    )
    assert done.redirect_chain[-1][0] == "/conversations/?tier=emergency"
    assert "deleted." in done.content.decode()
    assert list(SavedFilter.objects.values_list("pk", flat=True)) == [theirs.pk]
    details = list(
        AuditEvent.objects.filter(kind=Kind.SAVED_FILTER).values_list("detail", flat=True)
    )
    assert details == [f"deleted filter {mine.pk}; fields: tag"]


def test_the_audit_names_no_value_and_no_name(listed_three, clinician_client):
    query = urlencode({"q": "wet myself", "tag": "follow-up"})
    clinician_client.post("/conversations/filters/", {"name": "Incontinence words", "query": query})
    detail = AuditEvent.objects.get(kind=Kind.SAVED_FILTER).detail
    assert detail.endswith("fields: q, tag")
    for words in ("wet", "myself", "follow", "Incontinence"):
        assert words not in detail


def test_a_reader_may_keep_filters_of_their_own(listed_three, make_user):
    from django.contrib.auth.models import Permission

    reader = make_user("ro_riley", role="")
    reader.user_permissions.add(Permission.objects.get(codename="work_cases"))
    client = signed_in(reader)
    assert client.post("/conversations/filters/", {"name": "x", "query": "tag=follow-up"}).status_code == 302
    assert SavedFilter.objects.get().user == reader


@pytest.mark.parametrize("path", ["/conversations/filters/", "/conversations/filters/{id}/delete/"])
def test_saving_and_deleting_need_post_csrf_and_a_role(listed_three, clinician, client, make_user, path):
    saved, _ = save_filter(clinician, "Mine", "tag=follow-up")
    url = path.format(id=saved.pk)
    data = {"name": "Another", "query": "tier=emergency"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert signed_in(make_user("nobody", role="")).post(url, data).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(clinician, backend=MODEL_BACKEND)
    assert strict.post(url, data).status_code == 403
    assert signed_in(clinician).get(url).status_code == 405
    assert list(SavedFilter.objects.values_list("name", flat=True)) == ["Mine"]


def test_the_list_forms_carry_the_csrf_token(listed_three, clinician, clinician_client):
    save_filter(clinician, "Mine", "tag=follow-up")
    page = clinician_client.get("/conversations/?tag=follow-up").content.decode()
    forms = re.findall(r'<form method="post".*?</form>', page, flags=re.S)
    assert len(forms) == 2  # delete "Mine", save the current filter
    assert all('name="csrfmiddlewaretoken"' in form for form in forms)

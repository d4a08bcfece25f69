"""The conversation list (/conversations/): rows, filters, search, pages, roles, audit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from console.audit.models import AuditEvent, Kind
from console.cases.masking import pseudonym
from console.transcripts import listing
from console.transcripts.index import conversation_key
from console.transcripts.listing import conversations, domain_intents
from console.transcripts.models import ConversationReview
from tests.console.conftest import signed_in
from tests.console.transcripts.conftest import TS, action, bot, red_flag, user

DAY = 86400
PHONE = "+447700900123"


@pytest.fixture
def seeded(talk, events_table, clinician):
    """Four conversations on different days, channels, tiers; one reviewed."""
    talk("web-calm", [("what is pacing", "ask_pacing"), ("thanks", "thank")], start=TS)
    events_table(PHONE, user("hello", "greet", at=TS + DAY, channel="twilio"))
    events_table(
        PHONE,
        red_flag(
            "I can't feel my saddle and I WET myself",
            "WET myself",
            at=TS + DAY + 60,
            channel="twilio",
        ),
    )
    events_table(
        PHONE,
        bot("Call [999](tel:999) now.", at=TS + DAY + 61, response="utter_red_flag_emergency"),
    )
    events_table("web-lost", user("flibble wibble", "nlu_fallback", at=TS + 2 * DAY))
    events_table("web-lost", action("action_suggest_topics", at=TS + 2 * DAY + 1))
    events_table(
        "web-lost", bot("Could it be one of these?", at=TS + 2 * DAY + 2, content_id="menu.suggest")
    )
    events_table(
        "rest-foot",
        red_flag(
            "my foot drags more each week",
            "foot drags",
            flag="foot_drop",
            tier="urgent",
            at=TS + 3 * DAY,
            channel="rest",
        ),
    )
    ConversationReview.objects.create(sender_id="web-calm", by=clinician)


def keys(page):
    return re.findall(r'data-conversation="(P-[0-9a-f]{16})"', page)


def listed(client, query=""):
    response = client.get("/conversations/" + query)
    assert response.status_code == 200
    return response.content.decode()


def test_every_conversation_is_listed_newest_first(seeded, clinician_client):
    page = listed(clinician_client)
    assert keys(page) == [conversation_key(s) for s in ("rest-foot", "web-lost", PHONE, "web-calm")]
    assert "4 conversations in all" in page


def test_a_row_shows_the_summary_masked(seeded, clinician_client):
    page = listed(clinician_client)
    row = page[page.index(f'data-conversation="{conversation_key(PHONE)}"') :]
    row = row[: row.index("</tr>")]
    assert pseudonym(PHONE) in row
    assert "+44 ••• ••• 123" in row
    assert "twilio" in row
    assert '<td class="number">2</td>' in row
    assert '<span class="tier">emergency</span>' in row
    assert "26 Nov 2026 09:00" in row and "26 Nov 2026 09:01" in row
    assert "Not reviewed" in row
    assert PHONE not in page and "447700900123" not in page


def test_the_reviewed_row_says_who(seeded, clinician_client):
    page = listed(clinician_client)
    row = page[page.index(f'data-conversation="{conversation_key("web-calm")}"') :]
    assert "Reviewed by dr_jones" in row[: row.index("</tr>")]


@pytest.mark.parametrize(
    ("query", "senders"),
    [
        ("?tier=emergency", [PHONE]),
        ("?tier=urgent", ["rest-foot"]),
        ("?tier=none", ["web-lost", "web-calm"]),
        ("?channel=twilio", [PHONE]),
        ("?channel=rest", ["rest-foot"]),
        ("?intent=ask_pacing", ["web-calm"]),
        ("?intent=greet", [PHONE]),
        ("?fallback=yes", ["web-lost"]),
        ("?fallback=no", ["rest-foot", PHONE, "web-calm"]),
        ("?reviewed=yes", ["web-calm"]),
        ("?reviewed=no", ["rest-foot", "web-lost", PHONE]),
        ("?start=2026-11-26&end=2026-11-27", ["web-lost", PHONE]),
        ("?start=2026-11-28", ["rest-foot"]),
        ("?end=2026-11-25", ["web-calm"]),
        ("?tier=none&reviewed=no", ["web-lost"]),
    ],
)
def test_filters(seeded, clinician_client, query, senders):
    assert keys(listed(clinician_client, query)) == [conversation_key(s) for s in senders]


@pytest.mark.parametrize(
    ("words", "senders"),
    [
        ("wet myself", [PHONE]),  # the patient typed "WET myself": case is ignored
        ("SADDLE", [PHONE]),
        ("call 999 now", [PHONE]),  # the assistant's words, as the patient saw them
        ("tel:999", []),
        ("reply to thanks", ["web-calm"]),
        ("  foot   drags ", ["rest-foot"]),
        ("%", []),
        ("_", []),
    ],
)
def test_search_reads_patient_and_assistant_words(seeded, clinician_client, words, senders):
    from urllib.parse import urlencode

    page = listed(clinician_client, "?" + urlencode({"q": words}))
    assert keys(page) == [conversation_key(s) for s in senders]


def test_search_and_filters_together(seeded, clinician_client):
    assert keys(listed(clinician_client, "?q=reply&reviewed=no")) == []
    assert keys(listed(clinician_client, "?q=reply&reviewed=yes")) == [conversation_key("web-calm")]


def test_a_bad_filter_is_named_and_left_out(seeded, clinician_client):
    page = listed(clinician_client, "?tier=purple&channel=fax&start=2026-13-01&fallback=yes")
    assert 'role="alert"' in page
    assert "Highest red-flag tier: Select a valid choice" in page
    assert "Channel: Select a valid choice" in page
    assert "Active from: Enter a valid date" in page
    assert keys(page) == [conversation_key("web-lost")]


def test_an_end_before_the_start_is_refused(seeded, clinician_client):
    page = listed(clinician_client, "?start=2026-11-27&end=2026-11-25")
    assert "The end date is before the start date." in page
    assert len(keys(page)) == 2  # the start date still applies


def test_the_filter_form_is_labelled_and_keeps_its_values(seeded, clinician_client):
    page = listed(clinician_client, "?q=%3Cscript%3E&tier=urgent&channel=rest")
    for field in ("q", "start", "end", "channel", "tier", "intent", "fallback", "reviewed"):
        assert f'<label for="id_{field}">' in page
    assert 'value="&lt;script&gt;"' in page and "<script>" not in page
    assert '<option value="urgent" selected>' in page
    assert '<option value="rest" selected>' in page
    assert '<th scope="col">Highest red flag</th>' in page


def test_the_intent_choices_are_the_domains(seeded, clinician_client):
    intents = domain_intents()
    assert "greet" in intents and "nlu_fallback" in intents and "red_flag_emergency" in intents
    assert '<option value="ask_pacing">ask_pacing</option>' in listed(clinician_client)


def test_pages_of_fifty(talk, clinician_client, monkeypatch):
    monkeypatch.setattr(listing, "PER_PAGE", 2)
    from console.transcripts import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    for number in range(5):
        talk(f"web-{number}", [("hello", "greet")], start=TS + number * 100)
    first = listed(clinician_client, "?intent=greet")
    assert keys(first) == [conversation_key("web-4"), conversation_key("web-3")]
    assert "page 1 of 3" in first
    assert 'href="?intent=greet&amp;page=2" rel="next"' in first
    third = listed(clinician_client, "?intent=greet&page=3")
    assert keys(third) == [conversation_key("web-0")]
    assert 'href="?intent=greet&amp;page=2" rel="prev"' in third
    assert keys(listed(clinician_client, "?intent=greet&page=99")) == [conversation_key("web-0")]
    assert keys(listed(clinician_client, "?intent=greet&page=x")) == keys(first)


def test_new_events_show_without_any_step(talk, events_table, clinician_client):
    talk("web-a", [("hello", "greet")])
    assert keys(listed(clinician_client, "?tier=emergency")) == []
    events_table("web-a", red_flag("I wet myself", "wet myself", at=TS + 500))
    assert keys(listed(clinician_client, "?tier=emergency")) == [conversation_key("web-a")]


def test_an_empty_list_says_so(events_table, clinician_client):
    assert "No conversations match." in listed(clinician_client)


def test_every_list_view_is_audited(seeded, clinician_client):
    listed(clinician_client, "?tier=emergency&q=saddle")
    event = AuditEvent.objects.get(kind=Kind.CONVERSATION_LIST_VIEW)
    assert event.username == "dr_jones"
    assert event.target == "conversations"
    assert event.detail == f"tier=emergency&q=saddle; page 1; 1 match; shown {pseudonym(PHONE)}"


def test_the_list_needs_a_role(seeded, client, make_user, admin_client_):
    response = client.get("/conversations/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert signed_in(make_user("nobody", role="")).get("/conversations/").status_code == 403
    assert admin_client_.get("/conversations/").status_code == 200


def test_the_nav_links_to_the_list(seeded, clinician_client):
    assert (
        '<a href="/conversations/">Conversations</a>'
        in clinician_client.get("/cases/").content.decode()
    )


def test_the_queryset_reads_no_search_text(seeded):
    from console.transcripts.index import refresh_index

    refresh_index()
    row = conversations({}).first()
    assert "search_text" in row.get_deferred_fields()
    assert timedelta(0) <= row.last_at - row.first_at


@pytest.fixture
def tagged(seeded, clinician):
    """Tags: "fall" on web-calm itself and on a message of the phone's conversation."""
    from console.annotations.tags import add_tags
    from tests.console.annotations.conftest import event_id_of

    add_tags("web-calm", "Fall, sciatica", clinician)
    add_tags(PHONE, "fall", clinician, event_id=event_id_of(PHONE, "saddle"))
    add_tags(PHONE, "fall", clinician, event_id=event_id_of(PHONE, "Call [999]"))


@pytest.mark.parametrize(
    ("query", "senders"),
    [
        ("?tag=fall", [PHONE, "web-calm"]),  # on the conversation or on a message
        ("?tag=%20FALL!", [PHONE, "web-calm"]),  # any spelling of the tag
        ("?tag=sciatica", ["web-calm"]),
        ("?tag=sciatic", []),  # a whole tag, not part of one
        ("?tag=fall&tier=emergency", [PHONE]),
        ("?tag=fall&reviewed=no", [PHONE]),
        ("?tag=", ["rest-foot", "web-lost", PHONE, "web-calm"]),
    ],
)
def test_the_list_filters_by_tag(tagged, clinician_client, query, senders):
    assert keys(listed(clinician_client, query)) == [conversation_key(s) for s in senders]


def test_a_tag_too_long_to_exist_is_named_and_left_out(tagged, clinician_client):
    page = listed(clinician_client, "?tag=" + "x" * 41)
    assert "Tag: A tag is at most 40 characters long." in page
    assert len(keys(page)) == 4


def test_each_row_shows_its_tags_and_the_filter_suggests_them(tagged, clinician_client):
    page = listed(clinician_client)
    calm = page[page.index(f'data-conversation="{conversation_key("web-calm")}"') :]
    calm = calm[: calm.index("</tr>")]
    assert '<span class="tag-name">fall</span></li>' in calm and ">sciatica</span>" in calm
    phone = page[page.index(f'data-conversation="{conversation_key(PHONE)}"') :]
    phone = phone[: phone.index("</tr>")]
    assert '<span class="tag-name">fall</span> <span class="muted">(2 messages)</span>' in phone
    assert '<label for="id_tag">Tag (conversation or message)</label>' in page
    assert '<option value="fall"><option value="sciatica">' in page

"""A conversation opened from the list (/conversations/P-<key>/): the whole view."""

from __future__ import annotations

import pytest

from console.audit.models import AuditEvent, Kind
from console.cases.masking import pseudonym
from console.transcripts import lines
from console.transcripts.index import conversation_key
from tests.console.conftest import signed_in
from tests.console.transcripts.conftest import TS, action, bot, red_flag, slot, user

PHONE = "+447700900123"
HOSTILE = '<script>alert("x")</script> I <img src=x onerror=alert(1)> can\'t feel <b>my legs</b> & wet myself'


@pytest.fixture
def hostile(events_table):
    events_table(PHONE, user("hello", "greet", at=TS, channel="twilio", confidence=0.87))
    events_table(PHONE, action("utter_greet", at=TS + 1))
    events_table(PHONE, bot("Hello, I am BackCare.", at=TS + 2, response="utter_greet"))
    events_table(PHONE, slot("pacing_activity", "walking", at=TS + 3))
    events_table(
        PHONE, red_flag(HOSTILE, "<b>my legs</b> & wet myself", at=TS + 60, channel="twilio")
    )
    events_table(
        PHONE, bot("Call [999](tel:999) now.", at=TS + 61, response="utter_red_flag_emergency")
    )
    events_table(PHONE, bot("Here is what pacing means.", at=TS + 62, content_id="pacing.intro"))
    return conversation_key(PHONE)


def opened(client, key, query=""):
    response = client.get(f"/conversations/{key}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_hostile_patient_text_is_shown_as_text(hostile, clinician_client):
    page = opened(clinician_client, hostile)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>my legs</b>" not in page
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; I &lt;img src=x onerror=alert(1)&gt;"
        in page
    )


def test_the_evidence_is_highlighted_inside_the_patients_text(hostile, clinician_client):
    page = opened(clinician_client, hostile)
    assert (
        "can&#x27;t feel "
        '<mark class="evidence">&lt;b&gt;my legs&lt;/b&gt; &amp; wet myself</mark></p>'
    ) in page
    assert page.count('<mark class="evidence">') == 1
    # The evidence words are also said in words, escaped, for screen readers and print.
    assert (
        'Red flag: <code>cauda_equina_bladder</code> (emergency), evidence: “<span class="evidence-words">'
        "&lt;b&gt;my legs&lt;/b&gt; &amp; wet myself</span>”"
    ) in page


def test_provenance_of_every_turn(hostile, clinician_client):
    page = opened(clinician_client, hostile)
    assert "Intent: <code>greet</code> (confidence 0.87)" in page
    assert "Intent: <code>red_flag_emergency</code> (confidence 1.00)" in page
    assert "Action <code>utter_greet</code>" in page and "chosen by RulePolicy 1.00" in page
    assert "Response: <code>utter_red_flag_emergency</code>" in page
    assert "Content: <code>pacing.intro</code>" in page
    assert "Slot <code>pacing_activity</code> set to <code>&quot;walking&quot;</code>" in page
    assert "Model: <code>model-2026-11-20</code>" in page
    assert "Call 999 now." in page and "(tel:999)" not in page
    assert page.index("Turn 1") < page.index("Hello, I am BackCare.") < page.index("Turn 2")


def test_the_summary_beside_it_is_masked(hostile, clinician_client):
    page = opened(clinician_client, hostile)
    assert f"Conversation {pseudonym(PHONE)}" in page
    assert "twilio +44 ••• ••• 123" in page
    assert "<dt>Highest red flag</dt><dd>emergency</dd>" in page
    assert "<dt>Patient messages</dt><dd>2</dd>" in page
    assert PHONE not in page and "447700900123" not in page


def test_plans_and_checkins_beside_it(hostile, plan_tables, events_table, clinician_client):
    add_pacing, add_flare = plan_tables
    add_pacing(sender=PHONE)
    add_flare(sender=PHONE, helps="<i>heat</i>")
    events_table(PHONE, slot("peg_last_score", 5.3, at=TS + 100))
    page = opened(clinician_client, hostile)
    assert "walking (minutes)" in page
    assert "week 3 of 4: 16 minutes a day" in page
    assert "<dd>12, 14, 16, 18</dd>" in page
    assert "&lt;i&gt;heat&lt;/i&gt;" in page and "<i>heat</i>" not in page
    assert "<td>5.3</td>" in page


def test_without_plans_it_says_so(hostile, clinician_client):
    page = opened(clinician_client, hostile)
    assert "No pacing plan." in page and "No flare-up plan." in page and "No check-in yet." in page


def test_long_conversations_page(events_table, clinician_client, monkeypatch):
    monkeypatch.setattr(lines, "TURNS_PER_PAGE", 2)
    for number in range(5):
        events_table("web-long", user(f"message number {number}", "ask_pacing", at=TS + number))
    key = conversation_key("web-long")
    first = opened(clinician_client, key)
    assert "message number 1" in first and "message number 2" not in first
    assert "Messages, turns 1 to 2 of 5" in first
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
    last = opened(clinician_client, key, "?page=3")
    assert "message number 4" in last and "message number 3" not in last
    assert 'href="?page=2" rel="prev"' in last
    assert (
        AuditEvent.objects.filter(kind=Kind.TRANSCRIPT_VIEW).first().detail
        == "1 messages; page 3 of 3"
    )


def test_every_read_is_audited_by_key(hostile, clinician_client):
    opened(clinician_client, hostile)
    event = AuditEvent.objects.get(kind=Kind.TRANSCRIPT_VIEW)
    assert (event.username, event.target, event.detail) == (
        "dr_jones",
        f"conversation:{hostile}",
        "5 messages; page 1 of 1",
    )


def test_an_unknown_key_is_not_found_and_a_new_one_is_found(events_table, clinician_client):
    assert clinician_client.get(f"/conversations/{conversation_key('nobody')}/").status_code == 404
    assert clinician_client.get("/conversations/P-xyz/").status_code == 404
    events_table("web-new", user("hello", at=TS))
    # Not yet in the index: the view refreshes it.
    assert clinician_client.get(f"/conversations/{conversation_key('web-new')}/").status_code == 200


def test_a_conversation_needs_a_role(hostile, client, make_user, admin_client_):
    response = client.get(f"/conversations/{hostile}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert (
        signed_in(make_user("nobody", role="")).get(f"/conversations/{hostile}/").status_code == 403
    )
    assert admin_client_.get(f"/conversations/{hostile}/").status_code == 200
    assert not AuditEvent.objects.filter(kind=Kind.TRANSCRIPT_VIEW, username="nobody").exists()


def test_the_list_links_to_the_conversation(hostile, clinician_client):
    page = clinician_client.get("/conversations/").content.decode()
    assert f'href="/conversations/{hostile}/">{pseudonym(PHONE)}</a>' in page

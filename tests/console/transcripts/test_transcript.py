"""A case's transcript (/conversations/<case id>/): messages in order, provenance, the alert's message, audit."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from bot.alerts.outbox import alert_key
from console.audit.models import AuditEvent, Kind
from tests.console.conftest import T0

SENDER = "+447700900123"
TS = T0.timestamp()


@pytest.fixture
def conversation(outbox, events_table):
    events_table(
        SENDER, UserUttered("hello", intent={"name": "greet"}, message_id="m0", timestamp=TS - 60)
    )
    events_table(
        SENDER,
        BotUttered(
            "Hello, I am BackCare.", metadata={"utter_action": "utter_greet"}, timestamp=TS - 59
        ),
    )
    events_table(SENDER, ActionExecuted("action_listen", timestamp=TS - 58))
    events_table(
        SENDER,
        UserUttered(
            "<i>numb</i> down below and I wet myself",
            intent={"name": "red_flag_emergency"},
            entities=[{"entity": "red_flag", "value": "cauda_equina_bladder", "role": "emergency"}],
            message_id="m1",
            timestamp=TS,
        ),
    )
    events_table(
        SENDER,
        BotUttered(
            "Call [999](tel:999) now.",
            metadata={"utter_action": "utter_red_flag_emergency"},
            timestamp=TS + 1,
        ),
    )
    events_table("someone-else", UserUttered("not this one", message_id="x", timestamp=TS))
    return outbox.add(
        message="<i>numb</i> down below and I wet myself",
        conversation_id=SENDER,
        channel="twilio",
        key=alert_key(SENDER, "m1", TS),
    )


def test_transcript_shows_the_messages_in_order_with_intents_and_responses(
    conversation, clinician_client, frozen
):
    page = clinician_client.get(f"/conversations/{conversation}/").content.decode()
    positions = [
        page.index(text)
        for text in ("hello", "Hello, I am BackCare.", "down below", "Call 999 now.")
    ]
    assert positions == sorted(positions)
    assert "<code>greet</code>" in page
    assert "<code>utter_greet</code>" in page
    assert "<code>red_flag_emergency</code>" in page
    assert "Red flag: <code>cauda_equina_bladder</code> (emergency)" in page
    assert "not this one" not in page
    assert "action_listen" not in page
    # The chat's Markdown links show as the words the patient saw.
    assert "(tel:999)" not in page


def test_transcript_marks_the_message_that_raised_the_case(conversation, clinician_client, frozen):
    page = clinician_client.get(f"/conversations/{conversation}/").content.decode()
    assert page.count("This message raised case") == 1
    assert page.index("This message raised case") > page.index("Hello, I am BackCare.")


def test_transcript_escapes_and_masks(conversation, clinician_client, frozen):
    page = clinician_client.get(f"/conversations/{conversation}/").content.decode()
    assert "<i>numb</i>" not in page
    assert "&lt;i&gt;numb&lt;/i&gt;" in page
    assert SENDER not in page
    assert "+44 ••• ••• 123" in page


def test_every_transcript_read_is_audited(conversation, clinician_client, frozen):
    clinician_client.get(f"/conversations/{conversation}/")
    clinician_client.get(f"/conversations/{conversation}/")
    reads = AuditEvent.objects.filter(kind=Kind.TRANSCRIPT_VIEW, target=f"case:{conversation}")
    assert reads.count() == 2
    assert reads.first().detail == "4 messages; page 1 of 1"
    assert reads.first().username == "dr_jones"


def test_transcript_needs_a_role_and_a_case(conversation, client, make_user, clinician_client):
    from tests.console.conftest import signed_in

    assert client.get(f"/conversations/{conversation}/").status_code == 302
    assert (
        signed_in(make_user("nobody", role="")).get(f"/conversations/{conversation}/").status_code
        == 403
    )
    assert clinician_client.get("/conversations/999/").status_code == 404


def test_case_page_links_to_its_conversation(conversation, clinician_client, frozen):
    page = clinician_client.get(f"/cases/{conversation}/").content.decode()
    assert f'href="/conversations/{conversation}/"' in page

"""Transcript pages: turns, entries with provenance, pages of turns, the alert's page."""

from __future__ import annotations

import pytest

from bot.alerts.outbox import alert_key
from console.transcripts import lines
from console.transcripts.lines import transcript_page
from tests.console.transcripts.conftest import TS, action, bot, red_flag, slot, user

SENDER = "web-lines"


@pytest.fixture
def long_talk(events_table, monkeypatch):
    """Seven turns after a greeting, three turns a page."""
    monkeypatch.setattr(lines, "TURNS_PER_PAGE", 3)
    events_table(SENDER, bot("Hello, I am BackCare.", at=TS - 10, response="utter_greet"))
    for number in range(1, 8):
        at = TS + number * 60
        message = (
            red_flag("I wet myself", "wet myself", at=at, message_id="m5")
            if number == 5
            else user(f"message {number}", "ask_pacing", at=at, message_id=f"m{number}")
        )
        events_table(SENDER, message)
        events_table(SENDER, action("action_explain", at=at + 1))
        events_table(SENDER, bot(f"answer {number}", at=at + 2, content_id="pacing.intro"))
        events_table(SENDER, action("action_listen", at=at + 3))


def texts(page):
    return [
        (turn.number, [entry.text or entry.name for entry in turn.entries]) for turn in page.turns
    ]


def test_first_page_has_what_came_before_and_three_turns(long_talk):
    page = transcript_page(SENDER, None)
    assert (page.number, page.pages, page.turn_count) == (1, 3, 7)
    assert texts(page) == [
        (0, ["Hello, I am BackCare."]),
        (1, ["message 1", "action_explain", "answer 1"]),
        (2, ["message 2", "action_explain", "answer 2"]),
        (3, ["message 3", "action_explain", "answer 3"]),
    ]
    assert (page.first_turn, page.last_turn, page.has_previous, page.has_next) == (
        1,
        3,
        False,
        True,
    )


def test_later_pages_start_at_their_turn(long_talk):
    second = transcript_page(SENDER, 2)
    assert [turn.number for turn in second.turns] == [4, 5, 6]
    last = transcript_page(SENDER, 3)
    assert texts(last) == [(7, ["message 7", "action_explain", "answer 7"])]
    assert (last.first_turn, last.last_turn, last.has_next) == (7, 7, False)


@pytest.mark.parametrize(("asked", "shown"), [(0, 1), (-4, 1), (4, 3), (99, 3)])
def test_a_page_out_of_range_is_brought_within(long_talk, asked, shown):
    assert transcript_page(SENDER, asked).number == shown


def test_a_case_opens_at_the_page_of_its_message_which_is_marked(long_talk):
    key = alert_key(SENDER, "m5", TS + 300)
    page = transcript_page(SENDER, None, alert=key)
    assert page.number == 2
    raised = [entry for turn in page.turns for entry in turn.entries if entry.raised_alert]
    assert [entry.text for entry in raised] == ["I wet myself"]
    # An explicit page wins; an unknown key opens the first page.
    assert transcript_page(SENDER, 1, alert=key).number == 1
    assert transcript_page(SENDER, None, alert="0" * 40).number == 1


def test_every_message_that_raised_an_alert_is_marked_alerted(long_talk):
    keys = frozenset({alert_key(SENDER, "m5", TS + 300)})
    page = transcript_page(SENDER, 2, alert_keys=keys)
    alerted = [entry.text for turn in page.turns for entry in turn.entries if entry.alerted]
    assert alerted == ["I wet myself"]
    # Without a case nothing is "the case's own" message.
    assert not any(entry.raised_alert for turn in page.turns for entry in turn.entries)


def test_entries_carry_their_provenance(events_table):
    events_table(SENDER, user("hello", "greet", at=TS, confidence=0.912))
    events_table(SENDER, action("utter_greet", at=TS + 1, policy="RulePolicy"))
    events_table(
        SENDER,
        bot(
            "Hi [there](https://x.org)",
            at=TS + 2,
            response="utter_greet",
            buttons=[{"title": "Pacing", "payload": "/ask_pacing"}],
        ),
    )
    events_table(SENDER, slot("pacing_activity", "walking " * 40, at=TS + 3))
    events_table(SENDER, red_flag("my legs are numb", "legs are numb", tier="urgent", at=TS + 60))
    turns = transcript_page(SENDER, None).turns
    patient, act, reply, change = turns[0].entries
    assert (patient.kind, patient.intent, patient.confidence, patient.model_id) == (
        "patient",
        "greet",
        "0.91",
        "model-2026-11-20",
    )
    assert (act.kind, act.name, act.detail) == ("action", "utter_greet", "RulePolicy 1.00")
    assert (reply.kind, reply.text, reply.response, reply.buttons) == (
        "assistant",
        "Hi there",
        "utter_greet",
        ("Pacing",),
    )
    assert change.kind == "slot" and change.name == "pacing_activity"
    assert (
        change.detail.startswith('"walking walking')
        and change.detail.endswith("…")
        and len(change.detail) == 160
    )
    flagged = turns[1].entries[0]
    assert [(f.flag, f.tier, f.words) for f in flagged.findings] == [
        ("cauda_equina_bladder", "urgent", "legs are numb")
    ]
    assert flagged.html == 'my <mark class="evidence">legs are numb</mark>'
    # The model is named once, on the first message it read.
    assert flagged.model_id == ""
    assert transcript_page(SENDER, None).model_ids == ["model-2026-11-20"]


def test_steps_are_escaped(events_table):
    events_table(SENDER, slot("flare_helps", "<b>heat</b>", at=TS))
    entry = transcript_page(SENDER, None).turns[0].entries[0]
    assert (
        entry.step_html
        == "Slot <code>flare_helps</code> set to <code>&quot;&lt;b&gt;heat&lt;/b&gt;&quot;</code>"
    )


def test_an_empty_conversation_is_one_empty_page(events_table):
    page = transcript_page("nobody", None)
    assert (page.turns, page.pages, page.turn_count, page.messages) == ([], 1, 0, 0)


def test_forms_sessions_and_taken_back_messages_are_lines(events_table):
    from rasa.shared.core.events import ActiveLoop, Restarted, SessionStarted, UserUtteranceReverted

    for event in [
        SessionStarted(timestamp=TS),
        ActiveLoop("pacing_form", timestamp=TS + 1),
        ActiveLoop(None, timestamp=TS + 2),
        UserUtteranceReverted(timestamp=TS + 3),
        Restarted(timestamp=TS + 4),
        action("action_listen", at=TS + 5),
    ]:
        events_table(SENDER, event)
    entries = transcript_page(SENDER, None).turns[0].entries
    assert [(entry.kind, str(entry.step_html)) for entry in entries] == [
        ("session", "New session started"),
        ("form", "Form <code>pacing_form</code> started"),
        ("form", "Form ended"),
        (
            "taken_back",
            "The patient&#x27;s message was taken back (the next one is read in the same place)",
        ),
        ("other", "Event <code>restart</code>"),
    ]


def test_provenance_lines_escape_every_value():
    from console.transcripts.lines import Entry, Evidence

    patient = Entry(
        1,
        "patient",
        None,
        intent="<i>greet</i>",
        confidence="0.50",
        findings=(Evidence("<f>", "soon", "<b>numb</b>"),),
        asks=("<a>",),
        model_id="<m>",
    )
    assert str(patient.provenance_html) == (
        "<span>Intent: <code>&lt;i&gt;greet&lt;/i&gt;</code> (confidence 0.50)</span>\n"
        '<span class="flag">Red flag: <code>&lt;f&gt;</code> (soon), evidence: '
        '“<span class="evidence-words">&lt;b&gt;numb&lt;/b&gt;</span>”</span>\n'
        "<span>Asked to check: <code>&lt;a&gt;</code></span>\n"
        "<span>Model: <code>&lt;m&gt;</code></span>"
    )
    assistant = Entry(2, "assistant", None, response="utter_x", buttons=("<Yes>", "No & stop"))
    assert str(assistant.provenance_html) == (
        "<span>Response: <code>utter_x</code></span>\n"
        "<span>Buttons: &lt;Yes&gt; · No &amp; stop</span>"
    )
    assert str(Entry(3, "action", None, name="x").provenance_html) == ""

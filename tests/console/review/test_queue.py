"""The review queue: keyword sweep, fallbacks and low confidence, the random sample; no alerts."""

from __future__ import annotations

import pytest

from console.review.queue import (
    KEYWORD,
    LOW_CONFIDENCE,
    SAMPLE,
    is_low_confidence,
    matched_terms,
    review_queue,
    sampled,
    sweep_terms,
)
from console.transcripts.index import refresh_index
from tests.console.transcripts.conftest import TS, bot, red_flag, user

TERMS = ("numb", "bladder", "can't pee", "weight loss")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("My legs feel NUMB today", ["numb"]),
        ("numbness and bladder trouble", ["numb", "bladder"]),
        ("I can\u2019t pee since last night", ["can't pee"]),  # a phone's curly apostrophe
        ("some   weight\nloss lately", ["weight loss"]),
        ("how do I pace my walking", []),
    ],
)
def test_matched_terms(text, found):
    assert matched_terms(text, TERMS) == found


def test_the_terms_file_is_read_lower_case_and_once():
    terms = sweep_terms()
    assert "numb" in terms and "suicid" in terms
    assert all(term == term.lower().strip() for term in terms)
    assert len(terms) == len(set(terms))


@pytest.mark.parametrize(
    ("intent", "confidence", "low"),
    [
        ("nlu_fallback", 0.9, True),
        ("nlu_fallback", None, True),
        ("ask_pacing", 0.49, True),
        ("ask_pacing", 0.5, False),
        ("ask_pacing", None, False),
    ],
)
def test_low_confidence(intent, confidence, low):
    assert is_low_confidence(intent, confidence, 0.5) is low


def test_the_sample_is_stable_and_near_its_rate():
    senders = [f"web-{n:05d}" for n in range(4000)]
    first = [sender for sender in senders if sampled(sender, 0.05)]
    again = [sender for sender in senders if sampled(sender, 0.05)]
    assert first == again
    assert 120 <= len(first) <= 280  # 5% of 4000 is 200
    wider = {sender for sender in senders if sampled(sender, 0.2)}
    assert set(first) <= wider  # a higher rate keeps what a lower one took
    assert not any(sampled(sender, 0.0) for sender in senders)
    assert all(sampled(sender, 1.0) for sender in senders)


@pytest.fixture
def seeded(events_table, alert_on):
    """Six conversations: a keyword, a fallback, a low confidence, a calm one, two with alerts."""
    events_table("web-keyword", user("hello", "greet", at=TS))
    events_table("web-keyword", user("my legs have gone numb", "ask_pain", at=TS + 60))
    events_table("web-keyword", bot("Numbness can be a sign...", at=TS + 61))
    events_table("web-fallback", user("blorp", "nlu_fallback", at=TS + 120, confidence=0.2))
    events_table("web-unsure", user("erm the thing", "ask_pacing", at=TS + 180, confidence=0.31))
    events_table("web-calm", user("what is pacing", "ask_pacing", at=TS + 240))
    # The assistant's own words never count: only the patient's.
    events_table("web-calm", bot("Pacing helps bladder and bowel? No: pacing is...", at=TS + 241))
    flagged = red_flag("I wet myself and I am numb", "wet myself", at=TS + 300)
    events_table("web-flagged", flagged)
    alert_on("web-flagged", flagged)
    # An alert with no red flag in the index (e.g. a symptom-check answer): still not listed.
    answer = user("yes numb", "affirm", at=TS + 360, message_id="answer-1")
    events_table("web-answered", answer)
    alert_on("web-answered", answer)
    refresh_index()


def _reasons(items):
    return {item.conversation.sender_id: item.kinds for item in items}


def test_each_reason_lists_its_conversations_and_alerts_are_left_out(seeded):
    items = review_queue(None, sample_rate=0.0, min_confidence=0.5)
    assert _reasons(items) == {
        "web-keyword": (KEYWORD,),
        "web-fallback": (LOW_CONFIDENCE,),
        "web-unsure": (LOW_CONFIDENCE,),
    }
    by_sender = {item.conversation.sender_id: item for item in items}
    assert by_sender["web-keyword"].reasons[0].detail == "\u201cnumb\u201d"
    assert "1 fallback" in by_sender["web-fallback"].reasons[0].detail
    assert "lowest confidence 0.31" in by_sender["web-unsure"].reasons[0].detail
    # Most recently active first.
    assert [item.conversation.sender_id for item in items] == [
        "web-unsure",
        "web-fallback",
        "web-keyword",
    ]


def test_the_threshold_comes_from_the_caller(seeded):
    items = review_queue(LOW_CONFIDENCE, sample_rate=0.0, min_confidence=0.95)
    # Every message under 0.95 now (test messages are read at 0.9).
    assert set(_reasons(items)) == {"web-keyword", "web-fallback", "web-unsure", "web-calm"}


def test_the_sample_lists_every_conversation_without_an_alert_at_rate_one(seeded):
    items = review_queue(SAMPLE, sample_rate=1.0, min_confidence=0.5)
    assert set(_reasons(items)) == {"web-keyword", "web-fallback", "web-unsure", "web-calm"}
    by_sender = _reasons(items)
    assert by_sender["web-calm"] == (SAMPLE,)
    assert by_sender["web-keyword"] == (KEYWORD, SAMPLE)  # every reason is still shown


def test_filtering_by_reason(seeded):
    assert set(_reasons(review_queue(KEYWORD, 0.0, 0.5))) == {"web-keyword"}
    assert set(_reasons(review_queue(LOW_CONFIDENCE, 0.0, 0.5))) == {"web-fallback", "web-unsure"}
    assert review_queue(SAMPLE, 0.0, 0.5) == []


def test_no_events_table_is_an_empty_queue(db):
    assert review_queue(None, 1.0, 0.5) == []

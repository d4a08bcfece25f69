"""Tags: normalised free text, on a conversation or one message, removed, counted, linked."""

from __future__ import annotations

import random
import unicodedata

import pytest
from django.db import IntegrityError, transaction

from console.annotations.models import TAG_MAX_CHARS, Tag
from console.annotations.tags import (
    TagError,
    add_tags,
    normalise_tag,
    parse_tags,
    remove_tag,
    suggestions,
    tag_summary,
    tags_by_conversation,
)
from console.transcripts import lines
from tests.console.annotations.conftest import SENDER, event_id_of
from tests.console.transcripts.conftest import TS, action, user


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Sciatica", "sciatica"),
        ("  SCIATICA  ", "sciatica"),
        ("#follow-up", "follow-up"),
        ("needs   follow up!", "needs follow up"),
        ("Red-flag MISSED?", "red-flag missed"),
        ("sci\u200batica", "sciatica"),  # a zero-width space is dropped
        ("\uff33\uff43\uff49", "sci"),  # full-width letters
        ("patient\u2019s words", "patient's words"),
        ("GP/physio", "gp/physio"),
        ("<script>", "script"),
        ("--- . ---", ""),
        ("Straße", "strasse"),
        ("x\x00y\ty", "xy y"),
    ],
)
def test_a_tag_is_normalised(typed, stored):
    assert normalise_tag(typed) == stored


def test_normalising_holds_its_invariants_over_random_text():
    alphabet = "aZé9 -_'/+.&#!,?\t\n\u200b\u00a0\u2019\uff21\x00<>\"\u0301"
    rng = random.Random(15)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        tag = normalise_tag(text)
        assert normalise_tag(tag) == tag, text  # idempotent
        assert tag == tag.casefold() and tag == tag.strip(" -_'/+.&")
        assert "  " not in tag and "," not in tag and "<" not in tag
        assert not any(unicodedata.category(c).startswith("C") for c in tag), text


def test_several_tags_are_typed_with_commas():
    assert parse_tags("Sciatica, follow-up; sciatica\nGP") == ["sciatica", "follow-up", "gp"]
    with pytest.raises(TagError, match="Type a tag"):
        parse_tags(" , ;!! ")
    with pytest.raises(TagError, match="at most 40 characters"):
        parse_tags("x" * (TAG_MAX_CHARS + 1))
    assert parse_tags("x" * TAG_MAX_CHARS) == ["x" * TAG_MAX_CHARS]
    with pytest.raises(TagError, match="at most 10 tags"):
        parse_tags(",".join(f"t{n}" for n in range(11)))


def test_tags_on_the_conversation_and_on_a_message(chat, clinician, admin_user):
    added = add_tags(SENDER, "Sciatica, follow-up", clinician)
    assert [tag.tag for tag in added] == ["sciatica", "follow-up"]
    assert all(tag.event_id is None and tag.by == clinician for tag in added)
    assert add_tags(SENDER, "SCIATICA", admin_user) == []  # already there: left as it was
    on_message = add_tags(SENDER, "sciatica, fall", admin_user, event_id=chat.patient)
    assert [(tag.tag, tag.event_id) for tag in on_message] == [
        ("sciatica", chat.patient),
        ("fall", chat.patient),
    ]
    assert add_tags(SENDER, "fall", clinician, event_id=chat.assistant)[0].event_id == chat.assistant
    assert add_tags(SENDER, "fall", clinician, event_id=chat.care_team)[0].on_message
    assert Tag.objects.count() == 6


def test_only_a_message_of_the_conversation_can_be_tagged(chat, events_table, clinician):
    events_table("web-other", user("hello", at=TS))
    events_table(SENDER, action("utter_fall", at=TS + 2))
    other = event_id_of("web-other", "hello")
    step = event_id_of(SENDER, '"name": "utter_fall"')
    for event_id in (other, step, 999_999):
        with pytest.raises(TagError, match="not in this conversation"):
            add_tags(SENDER, "fall", clinician, event_id=event_id)
    assert not Tag.objects.exists()


def test_the_table_keeps_a_tag_once_per_place(chat, clinician):
    Tag.objects.create(sender_id=SENDER, tag="fall", by=clinician)
    Tag.objects.create(sender_id=SENDER, event_id=chat.patient, tag="fall", by=clinician)
    for event_id in (None, chat.patient):
        with pytest.raises(IntegrityError), transaction.atomic():
            Tag.objects.create(sender_id=SENDER, event_id=event_id, tag="fall", by=clinician)
    Tag.objects.create(sender_id="web-other", tag="fall", by=clinician)


def test_removing_a_tag(chat, clinician):
    tag = add_tags(SENDER, "fall", clinician)[0]
    assert remove_tag("web-other", tag.pk) is None  # another conversation's address
    assert remove_tag(SENDER, tag.pk).tag == "fall"
    assert remove_tag(SENDER, tag.pk) is None
    assert not Tag.objects.exists()


def test_suggestions_are_the_tags_in_use_most_used_first(chat, events_table, clinician):
    events_table("web-other", user("hello", at=TS))
    add_tags(SENDER, "fall, sciatica", clinician)
    add_tags(SENDER, "sciatica", clinician, event_id=chat.patient)
    add_tags("web-other", "sciatica, anxiety", clinician)
    assert suggestions() == ["sciatica", "anxiety", "fall"]
    assert suggestions(limit=1) == ["sciatica"]


def test_tags_by_conversation_for_the_lists(chat, clinician):
    add_tags(SENDER, "zzz, fall", clinician)
    add_tags(SENDER, "fall, anxiety", clinician, event_id=chat.patient)
    add_tags(SENDER, "anxiety", clinician, event_id=chat.later)
    assert tags_by_conversation([SENDER, "web-none"]) == {
        SENDER: [("fall", 1), ("zzz", 0), ("anxiety", 2)]
    }


def test_the_summary_counts_message_tags_and_links_each_message(chat, clinician, monkeypatch):
    monkeypatch.setattr(lines, "TURNS_PER_PAGE", 1)  # each patient message starts a page
    add_tags(SENDER, "fall", clinician)
    add_tags(SENDER, "fall, checked", clinician, event_id=chat.patient)
    add_tags(SENDER, "checked", clinician, event_id=chat.care_team)
    add_tags(SENDER, "checked", clinician, event_id=chat.later)
    add_tags(SENDER, "reply", clinician, event_id=chat.assistant)
    summary = tag_summary(SENDER)
    assert [tag.tag for tag in summary.conversation] == ["fall"]
    assert [(count.tag, count.count) for count in summary.on_messages] == [
        ("checked", 3),
        ("fall", 1),
        ("reply", 1),
    ]
    checked = summary.on_messages[0].messages
    assert [(m.event_id, m.page, m.speaker) for m in checked] == [
        (chat.patient, 1, "patient"),
        (chat.care_team, 1, "care team"),
        (chat.later, 2, "patient"),
    ]
    assert checked[0].anchor == f"message-{chat.patient}"
    assert checked[0].at is not None and checked[0].at.timestamp() == TS
    assert summary.on_messages[2].messages[0].speaker == "assistant"
    assert summary.tagged_messages == 4
    assert sorted(tag.tag for tag in summary.by_event[chat.patient]) == ["checked", "fall"]
    assert not summary.empty


def test_a_tag_on_a_message_no_longer_stored_is_left_out(chat, clinician):
    Tag.objects.create(sender_id=SENDER, event_id=999_999, tag="ghost", by=clinician)
    summary = tag_summary(SENDER)
    assert summary.on_messages == [] and summary.by_event == {} and summary.empty

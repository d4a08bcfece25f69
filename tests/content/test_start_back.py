"""The STarT Back questionnaire's words (content/start_back.yml) and its first-visit offer.

Keele University's 9 items are a validated instrument: their wording must be exactly the
published one (a second copy here, from the clinical reference, section 2), on the web
and on SMS, and Keele is credited both in the metadata and in what the patient sees.
Everything else the patient reads is grade 7 or below, fits two SMS parts where it has
an SMS variant (and as a whole turn on SMS), is SMS-safe and adds no urgency of its own.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from actions.common.content import SMS_LIMIT
from actions.start_back.answers import read_agreement, read_bother
from actions.start_back.messages import (
    get_start_back_content,
    intro_messages,
    question_message,
    result_messages,
)
from actions.start_back.scoring import GROUPS
from bot.channels.sms.format import compose_turn
from bot.channels.words import channel_words
from bot.settings import REPO_ROOT
from tests.readability import fill_samples, reading_grade

PATH = REPO_ROOT / "content" / "start_back.yml"
DATA: dict[str, Any] = yaml.safe_load(PATH.read_text(encoding="utf-8"))
DOMAIN: dict[str, Any] = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
CONTENT = get_start_back_content()
# The STarT Back Screening Tool's items as Keele University published them.
KEELE_ITEMS = [
    "My back pain has spread down my leg(s) at some time in the last 2 weeks",
    "I have had pain in the shoulder or neck at some time in the last 2 weeks",
    "I have only walked short distances because of my back pain",
    "In the last 2 weeks, I have dressed more slowly than usual because of back pain",
    "It's not really safe for a person with a condition like mine to be physically active",
    "Worrying thoughts have been going through my mind a lot of the time",
    "I feel that my back pain is terrible and it's never going to get any better",
    "In general I have not enjoyed all the things I used to enjoy",
    "Overall, how bothersome has your back pain been in the last 2 weeks?",
]
KEELE_ANSWERS = ["Not at all", "Slightly", "Moderately", "Very much", "Extremely"]
SMS_SAFE = re.compile(r"[A-Za-z0-9 .,;:!?'\"()/&%+\-\n]*")
URGENCY = ("urgent", "emergency", "a&e", "999", "{emergency_number}", "ambulance", "111", "today")


def own_texts(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every text the patient reads that is the assistant's own (not Keele's items)."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("metadata", "payload", "items", "responses"):
                found += own_texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += own_texts(value, f"{path}.{index}")
    elif isinstance(node, str):
        found.append((path, " ".join(node.split())))
    return found


OWN = own_texts(DATA)


def test_the_items_are_keeles_word_for_word():
    assert DATA["items"] == KEELE_ITEMS
    assert [b.title for b in CONTENT.buttons("answers.bother")] == KEELE_ANSWERS


@pytest.mark.parametrize("sms", [False, True])
@pytest.mark.parametrize("number", range(1, 10))
def test_every_question_shows_its_item_whole_on_every_channel(number, sms):
    assert KEELE_ITEMS[number - 1] in question_message(CONTENT, number, sms=sms).text


def test_keele_is_credited_in_the_metadata_and_to_the_patient():
    metadata = DATA["metadata"]
    assert "Keele University" in metadata["credit"]
    assert any("Hill JC" in s and "Keele" in s for s in metadata["sources"])
    assert "NICE NG59" in " ".join(metadata["sources"])
    for sms in (False, True):
        shown = " ".join(m.text for m in intro_messages(CONTENT, sms=sms))
        assert "STarT Back" in shown and "Keele University" in shown


def test_the_file_has_its_review_record_and_limits():
    metadata = DATA["metadata"]
    assert metadata["review"]["status"] in ("draft", "reviewed")
    assert metadata["max_reading_grade"] == 7
    assert metadata["sms_limit"] == SMS_LIMIT
    # The first-visit offer (a domain response) is reviewed with these words.
    assert DATA["responses"] == ["utter_offer_help"]


def test_the_assistants_own_words_read_at_grade_7_or_below():
    too_hard = {
        path: round(grade, 1)
        for path, text in OWN
        if len(text.split()) >= 5 and (grade := reading_grade(fill_samples(text))) > 7
    }
    assert too_hard == {}


def test_own_words_are_sms_safe_and_add_no_urgency():
    for path, text in OWN:
        assert SMS_SAFE.fullmatch(re.sub(r"\{[a-z_]+\}", "", text)), path
        assert [word for word in URGENCY if word in text.lower()] == [], path
    for item in KEELE_ITEMS:
        assert SMS_SAFE.fullmatch(item), item


def test_sms_variants_and_whole_sms_turns_fit_two_parts():
    words = channel_words().sms
    assert {path: len(t) for path, t in OWN if path.endswith("sms") and len(t) > SMS_LIMIT} == {}
    for number in range(1, 10):
        message = question_message(CONTENT, number, sms=True)
        turn = compose_turn(
            [{"text": message.text, "buttons": [b.as_dict() for b in message.buttons]}], words
        )
        assert turn.pages == [] and len(turn.bodies) == 1, number
        assert "Reply A for " in turn.bodies[0]
    for group in GROUPS:
        turn = compose_turn(
            [{"text": m.text, "buttons": [b.as_dict() for b in m.buttons]}
             for m in result_messages(CONTENT, group, sms=True)],
            words,
        )  # fmt: skip
        assert turn.pages == [], group


def test_each_group_is_told_kindly_and_says_what_helps():
    for group in GROUPS:
        for sms in (False, True):
            text = result_messages(CONTENT, group, sms=sms)[0].text
            assert f"{group} risk group" in text
            assert not re.search(r"\b(danger|dangerous|serious|severe|worse|damage)\b", text)
    high = CONTENT.text("result.high")
    assert "does not mean something is badly wrong" in high


def test_answer_buttons_send_words_the_form_reads():
    answers = DATA["answers"]
    assert read_agreement(answers["agree"]["payload"]) == 1
    assert read_agreement(answers["disagree"]["payload"]) == 0
    assert [read_bother(b["payload"]) for b in answers["bother"]] == [0, 1, 2, 3, 4]
    intents = set(DOMAIN["intents"])
    for button in DATA["buttons"].values():
        assert button["payload"][1:] in intents


def first_visit_variants() -> list[dict[str, Any]]:
    return [v for v in DOMAIN["responses"]["utter_offer_help"] if "condition" in v]


def test_the_first_visit_offer_adds_the_questions_last_and_keeps_every_option():
    variants = DOMAIN["responses"]["utter_offer_help"]
    plain = {v.get("channel"): v for v in variants if "condition" not in v}
    offers = {v.get("channel"): v for v in first_visit_variants()}
    assert set(offers) == set(plain) == {None, "twilio"}
    for channel, offer in offers.items():
        assert offer["condition"] == [{"type": "slot", "name": "start_back_offer", "value": "now"}]
        # The usual options first, with the same letters on SMS; the offer last.
        assert offer["buttons"][:-1] == plain[channel]["buttons"]
        assert offer["buttons"][-1]["payload"] == "/request_start_back"
    web = " ".join(offers[None]["text"].split())
    assert reading_grade(web) <= 7
    assert "9 short questions" in web


def test_the_first_visit_greeting_is_one_text_on_sms():
    greeting = next(v for v in DOMAIN["responses"]["utter_greet"] if v.get("channel") == "twilio")
    offer = next(v for v in first_visit_variants() if v.get("channel") == "twilio")
    turn = compose_turn(
        [
            {"text": fill_samples(" ".join(greeting["text"].split()))},
            {"text": offer["text"], "buttons": offer["buttons"]},
        ],
        channel_words().sms,
    )
    assert turn.pages == [] and len(turn.bodies) == 1
    assert "A for Learn about pain" in turn.bodies[0]
    assert "E for 9 questions on my back" in turn.bodies[0]

import pytest

from bot.runtime.offers import emoji_word, offered_payload

FLARE_OFFER = [
    {"title": "Yes, make my plan", "payload": "/ask_flare_up_plan"},
    {"title": "Not now", "payload": "/deny"},
]
HELP_CHECK = [
    {"title": "Yes, I'm getting help", "payload": "/confirm_getting_help"},
    {"title": "No", "payload": "/deny"},
]
MENU = [
    {"title": "Learn about pain", "payload": "/start_learning"},
    {"title": "Check my symptoms", "payload": "/request_symptom_check"},
]


# The short answers that take up the offer, or turn it down, with the intent they arrive as.
SHORT_ANSWERS = [
    (["yes", "Yes please!", "ok", "go on then"], "affirm", "/ask_flare_up_plan"),
    (["\U0001f44d"], "nlu_fallback", "/ask_flare_up_plan"),
    (["no thanks", "not now", "nah"], "deny", "/deny"),
]


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [(text, intent, expected) for texts, intent, expected in SHORT_ANSWERS for text in texts],
)
def test_short_yes_or_no_answers_the_offer(text, intent, expected):
    assert offered_payload(text, intent, FLARE_OFFER) == expected


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("yes but first tell me about sleep and why it matters", "affirm"),
        ("what helps with sleep", "ask_sleep"),
        ("", None),
        ("maybe", "nlu_fallback"),
    ],
)
def test_anything_else_is_left_to_the_classifier(text, intent):
    assert offered_payload(text, intent, FLARE_OFFER) is None


def test_no_offer_no_answer():
    assert offered_payload("yes", "affirm", MENU) is None
    assert offered_payload("yes", "affirm", []) is None


def test_a_bare_ok_never_says_the_patient_is_getting_help():
    assert offered_payload("ok", "affirm", HELP_CHECK) is None
    assert offered_payload("okay", "affirm", HELP_CHECK) is None
    assert offered_payload("yes", "affirm", HELP_CHECK) == "/confirm_getting_help"
    assert offered_payload("no", "deny", HELP_CHECK) == "/deny"


@pytest.mark.parametrize(
    ("text", "word"),
    [("\U0001f44d", "ok"), ("\U0001f44d\U0001f3fb", "ok"), ("\U0001f44d\U0001f44d", "ok"),
     ("\U0001f44e", "no"), ("\U0001f64f", "thank you"), ("\U0001f642", None), ("ok \U0001f44d", None)],
)
def test_a_lone_emoji_is_read_as_its_word(text, word):
    assert emoji_word(text) == word

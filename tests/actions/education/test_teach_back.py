from __future__ import annotations

import pytest

from actions.education.teach_back import Verdict, assess, clauses, find_cue, is_negated, words
from actions.education.topics import Misconception, TeachBackSpec, load_store

STORE = load_store()
UNSURE = STORE.course.unsure

SPEC = TeachBackSpec(
    question="What is pain for?",
    expect_any=("protect", "not damage", "safe"),
    misconceptions=(
        Misconception(match=("pain mean damage",), correction="c0"),
        Misconception(match=("never get better",), correction="c1"),
    ),
    praise="p",
    nudge="n",
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It doesn't mean DAMAGE!", ["it", "does", "not", "mean", "damage"]),
        ("I can\u2019t say", ["i", "can", "not", "say"]),
        ("won't, cannot", ["will", "not", "can", "not"]),
        ("pain-free", ["pain", "free"]),
        ("   ", []),
    ],
)
def test_words(text, expected) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("answer", "cue", "expected"),
    [
        ("it protects me", "protect", (1,)),
        ("it is not a sign of damage", "not damage", (2, 6)),
        ("not really sure what the damage is", "not damage", None),
        ("damage not", "not damage", None),
        ("no harm done", "no", (0,)),
        ("nothing", "no", None),
        ("pain is an alarm", "pain alarm", (0, 3)),
        ("", "pain", None),
    ],
)
def test_find_cue(answer, cue, expected) -> None:
    assert find_cue(words(answer), words(cue)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "No, it's an alarm. It protects me",
            [["no"], ["it", "s", "an", "alarm"], ["it", "protects", "me"]],
        ),
        ("not damage but harm", [["not", "damage"], ["but", "harm"]]),
        ("", []),
    ],
)
def test_clauses(text, expected) -> None:
    assert clauses(text) == expected


def test_is_negated_skips_negations_inside_the_cue() -> None:
    answer = words("it is not safe")
    assert is_negated(answer, find_cue(answer, ["safe"]))
    answer = words("it does not mean damage")
    assert not is_negated(answer, find_cue(answer, ["not", "damage"]))
    answer = words("it does not mean i am doing any harm")
    assert is_negated(answer, find_cue(answer, ["harm"]))


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("It's there to protect me", Verdict("good", "praise")),
        ("pain doesn't mean damage", Verdict("good", "praise")),
        ("it means I'm safe", Verdict("good", "praise")),
        ("pain means damage", Verdict("misconception", "misconceptions.0")),
        # A misconception is corrected even next to a good cue.
        ("it protects me but pain means damage", Verdict("misconception", "misconceptions.0")),
        ("I will never get better", Verdict("misconception", "misconceptions.1")),
        ("it is not safe", Verdict("unclear", "nudge")),
        ("not safe, but it does protect me", Verdict("good", "praise")),
        ("it's not that pain means damage", Verdict("good", "praise")),
        ("I don't know", Verdict("unclear", "nudge")),
        ("no idea, maybe it protects me", Verdict("unclear", "nudge")),
        ("bananas", Verdict("unclear", "nudge")),
        ("", Verdict("unclear", "nudge")),
        ("   ?!", Verdict("unclear", "nudge")),
    ],
)
def test_assess_with_a_small_spec(answer, expected) -> None:
    assert assess(answer, SPEC, UNSURE) == expected


# Real content: one good, one misconception and one unclear answer per lesson topic.
CASES = [
    ("pain_science", "it's an alarm to keep me safe", "good"),
    ("pain_science", "pain shows damage in my back", "misconception"),
    ("pain_science", "my back", "unclear"),
    ("hurt_vs_harm", "it doesn't mean I'm doing harm", "good"),
    ("hurt_vs_harm", "I'm damaging my spine", "misconception"),
    ("hurt_vs_harm", "it hurts", "unclear"),
    ("sensitisation", "gentle walks and better sleep", "good"),
    ("sensitisation", "nothing, it's permanent", "misconception"),
    ("sensitisation", "dunno", "unclear"),
    ("mind_body", "stress turns it up", "good"),
    ("mind_body", "so it's all in my head?", "misconception"),
    ("mind_body", "hmm", "unclear"),
    ("sleep", "keep the bedroom dark", "good"),
    ("sleep", "take a sleeping pill", "misconception"),
    ("sleep", "not sure", "unclear"),
    ("exercise", "stop and ask my physio", "good"),
    ("exercise", "push through it", "misconception"),
    ("exercise", "swimming", "unclear"),
    ("pacing", "stick to the plan and add a bit each week", "good"),
    ("pacing", "do more on a good day", "misconception"),
    ("pacing", "when it rains", "unclear"),
    ("flare_ups", "it will settle in a few days", "good"),
    ("flare_ups", "it means new damage", "misconception"),
    ("flare_ups", "ouch", "unclear"),
    ("imaging", "it's very common and normal", "good"),
    ("imaging", "I need surgery", "misconception"),
    ("imaging", "a scan", "unclear"),
    ("treatments", "exercise", "good"),
    ("treatments", "a back brace", "misconception"),
    ("treatments", "heat", "unclear"),
    ("posture_lifting", "get up and move around", "good"),
    ("posture_lifting", "sit up straight", "misconception"),
    ("posture_lifting", "sitting", "unclear"),
    ("work", "ask my manager for lighter tasks", "good"),
    ("work", "wait until I'm pain-free", "misconception"),
    ("work", "my job", "unclear"),
    ("physio", "to keep my back strong", "good"),
    ("physio", "I'm cured by then", "misconception"),
    ("physio", "physio", "unclear"),
    ("medicines", "my pharmacist", "good"),
    ("medicines", "I'd google it", "misconception"),
    ("medicines", "ibuprofen", "unclear"),
    ("warning_signs", "call an ambulance straight away", "good"),
    ("warning_signs", "wait and see if it gets better", "misconception"),
    ("warning_signs", "back pain", "unclear"),
    ("sciatica", "keep gently moving and go for short walks", "good"),
    ("sciatica", "stay in bed until it stops", "misconception"),
    ("sciatica", "my leg", "unclear"),
    ("medicines_safety", "ask the pharmacist", "good"),
    ("medicines_safety", "I'd look it up online", "misconception"),
    ("medicines_safety", "tablets", "unclear"),
    ("goal_setting", "small clear steps I can do", "good"),
    ("goal_setting", "being pain free", "misconception"),
    ("goal_setting", "golf", "unclear"),
    ("graded_exposure", "start with the easiest one", "good"),
    ("graded_exposure", "go for the scariest first", "misconception"),
    ("graded_exposure", "bending", "unclear"),
    ("non_urgent_review", "if it isn't getting better after a few weeks", "good"),
    ("non_urgent_review", "it's a waste of their time", "misconception"),
    ("non_urgent_review", "my back", "unclear"),
    ("about", "phone 999", "good"),
    ("about", "message this chat", "misconception"),
    ("about", "my mum", "unclear"),
]


@pytest.mark.parametrize(("topic_id", "answer", "kind"), CASES)
def test_assess_real_content(topic_id, answer, kind) -> None:
    verdict = assess(answer, STORE.topic(topic_id).teach_back, UNSURE)
    assert verdict.kind == kind
    # The key always names a reply that exists.
    assert STORE.topic(topic_id).teach_back.message(verdict.message_key)


def test_every_topic_is_covered_by_real_cases() -> None:
    covered = {(topic_id, kind) for topic_id, _, kind in CASES}
    for topic_id in STORE.topics:
        for kind in ("good", "misconception", "unclear"):
            assert (topic_id, kind) in covered

"""Concept frames: a rule fires when its concepts meet in one scope, unless blocked."""

from __future__ import annotations

from bot.safety.context import Layout, Mention
from bot.safety.entries import Rule
from bot.safety.frames import Onset, any_present, fire, is_usable, scope_key

# Six tokens: two clauses (0-2, 3-5) in one sentence.
LAY = Layout(sentence=(0,) * 6, clause=(0, 0, 0, 1, 1, 1), sentence_is_question=(False,) * 6)
NUMB = Mention("numb", 0, 1)
SADDLE = Mention("saddle_area", 2, 3)
SADDLE_LATER = Mention("saddle_area", 4, 5)


def test_scopes_key_tokens_by_clause_sentence_or_message() -> None:
    assert [scope_key(LAY, scope, 4) for scope in ("clause", "sentence", "message")] == [1, 0, 0]


def test_a_rule_fires_when_its_concepts_share_the_scope() -> None:
    mentions = {"numb": [NUMB], "saddle_area": [SADDLE]}
    assert fire(Rule(("numb", "saddle_area")), LAY, mentions, mentions) == [NUMB, SADDLE]
    apart = {"numb": [NUMB], "saddle_area": [SADDLE_LATER]}
    assert fire(Rule(("numb", "saddle_area")), LAY, apart, apart) is None
    assert fire(Rule(("numb", "saddle_area"), scope="sentence"), LAY, apart, apart)


def test_a_window_and_an_unless_concept_stop_a_rule() -> None:
    apart = {"numb": [NUMB], "saddle_area": [SADDLE_LATER]}
    assert fire(Rule(("numb", "saddle_area"), "sentence", window=2), LAY, apart, apart) is None
    raw = {**apart, "chronic": [Mention("chronic", 3, 4)]}
    rule = Rule(("numb", "saddle_area"), "sentence", unless=("chronic",))
    assert fire(rule, LAY, apart, raw) is None


def test_an_onset_in_the_rule_clause_overrides_a_duration_told_in_another_clause() -> None:
    # "bladder trouble for years, | but since yesterday I can't pass water"
    urine, problem = Mention("urine", 4, 5), Mention("problem", 5, 6)
    usable = {"urine": [urine], "problem": [problem]}
    years = Mention("longstanding", 1, 2)
    rule = Rule(("urine", "problem"), "sentence", unless=("longstanding",))
    onset = Onset(frozenset({"new"}), frozenset({"longstanding"}))
    fresh = {**usable, "longstanding": [years], "new": [Mention("new", 3, 4)]}
    assert fire(rule, LAY, usable, fresh, onset) == [urine, problem]
    # Without the onset cue, or with the duration in the rule's own clause, it blocks.
    assert fire(rule, LAY, usable, {**usable, "longstanding": [years]}, onset) is None
    same_clause = {**fresh, "longstanding": [Mention("longstanding", 3, 4)]}
    assert fire(rule, LAY, usable, same_clause, onset) is None
    # A blocker that is not a duration still blocks.
    other = Rule(("urine", "problem"), "sentence", unless=("prostate",))
    cause = {**fresh, "prostate": [Mention("prostate", 1, 2)]}
    assert fire(other, LAY, usable, cause, onset) is None


def test_a_blocker_read_from_the_rule_own_words_does_not_block_it() -> None:
    # "had an accident in bed": "accident" is also a crash word, yet the rule stands;
    # a longer blocker around the rule's words ("does losing weight help") still blocks.
    event = Mention("accident_event", 0, 3)
    onset = Mention("onset", 3, 4)
    usable = {"accident_event": [event], "onset": [onset]}
    rule = Rule(("accident_event", "onset"), "sentence", unless=("crash",))
    inside = {**usable, "crash": [Mention("crash", 2, 3)]}
    assert fire(rule, LAY, usable, inside) == [event, onset]
    around = {**usable, "crash": [Mention("crash", 0, 4)]}
    assert fire(rule, LAY, usable, around) is None


def test_context_marks_decide_which_mentions_count() -> None:
    assert is_usable(NUMB, False, True, False)
    assert not is_usable(Mention("numb", 0, 1, negated=True), True, False, True)
    assert not is_usable(Mention("numb", 0, 1, hypothetical=True), False, False, False)
    assert is_usable(Mention("numb", 0, 1, hypothetical=True), False, False, True)
    assert is_usable(Mention("numb", 0, 1, resolved=True), True, False, False)
    assert not is_usable(Mention("numb", 0, 1, distant=True), True, True, False)
    assert any_present([Mention("x", 0, 1, negated=True), NUMB])
    assert not any_present([Mention("x", 0, 1, negated=True)])

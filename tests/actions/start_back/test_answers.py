"""Reading one answer: agree or disagree for items 1-8, one of five for item 9."""

from __future__ import annotations

import pytest

from actions.start_back.answers import read_agreement, read_bother


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("agree", 1),
        ("Agree", 1),
        ("I agree.", 1),
        ("yes", 1),
        ("Yeah", 1),
        ("y", 1),
        ("that's true", 1),
        ("disagree", 0),
        ("I disagree", 0),
        ("don't agree", 0),
        ("I don\u2019t agree", 0),
        ("no", 0),
        ("Nope!", 0),
        ("not really", 0),
        ("n", 0),
        # Unclear: asked again, never guessed.
        ("maybe", None),
        ("sometimes", None),
        ("agree and disagree", None),
        ("not sure", None),
        ("1", None),
        ("", None),
        (None, None),
        ("\U0001f44d", None),
    ],
)
def test_read_agreement(text, expected):
    assert read_agreement(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not at all", 0),
        ("Not at all.", 0),
        ("slightly", 1),
        ("a little", 1),
        ("moderately", 2),
        ("very much", 3),
        ("Very", 3),
        ("a lot", 3),
        ("extremely", 4),
        ("Extremely!", 4),
        # The answers in order, typed as numbers.
        ("1", 0),
        ("3", 2),
        ("5", 4),
        ("i'd say moderately", 2),
        ("6", None),
        ("0", None),
        ("quite a lot really", None),
        ("agree", None),
        ("", None),
        (None, None),
    ],
)
def test_read_bother(text, expected):
    assert read_bother(text) == expected


def test_every_button_payload_is_read_as_its_own_answer():
    from actions.start_back.messages import get_start_back_content

    content = get_start_back_content()
    assert read_agreement(content.buttons("answers.agree")[0].payload) == 1
    assert read_agreement(content.buttons("answers.disagree")[0].payload) == 0
    bother = [read_bother(button.payload) for button in content.buttons("answers.bother")]
    assert bother == [0, 1, 2, 3, 4]

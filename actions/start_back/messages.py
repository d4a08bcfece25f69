"""The STarT Back questionnaire's messages, built from ``content/start_back.yml``.

Plain functions with no Rasa imports, so the content tests can render every message as
the patient gets it, on the web and on SMS::

    content = get_start_back_content()
    question_message(content, 1, sms=False)   # item 1 with Agree and Disagree buttons
    result_messages(content, "low", sms=True) # the group in plain words, then "saved"

Each question carries the content id of its item (``start_back.items.<index>``), so a
transcript shows which of Keele's items the patient was asked.
"""

from __future__ import annotations

from actions.common.content import ContentFile, OutgoingMessage, get_content
from actions.start_back.scoring import GROUPS, ITEM_COUNT

# Item 9 is the one question; items 1-8 are statements to agree or disagree with.
QUESTION_ITEM = ITEM_COUNT


def get_start_back_content() -> ContentFile:
    """Return the questionnaire's words from ``content/start_back.yml``, read on first use."""
    return get_content("start_back")


def item_text(content: ContentFile, number: int) -> str:
    """Return item ``number`` (1 to 9) exactly as written."""
    return content.text(f"items.{number - 1}")


def intro_messages(content: ContentFile, *, sms: bool) -> list[OutgoingMessage]:
    """Return the introduction and the line that credits Keele University."""
    return [content.message("intro", sms=sms), content.message("intro.credit")]


def question_message(content: ContentFile, number: int, *, sms: bool) -> OutgoingMessage:
    """Return item ``number`` (1 to 9) as a question with its answer buttons."""
    if number == QUESTION_ITEM:
        key, buttons = "ask.question", content.buttons("answers.bother")
    else:
        key, buttons = "ask.statement", content.buttons("answers.agree", "answers.disagree")
    text = content.text(key, {"number": number, "item": item_text(content, number)}, sms=sms)
    return OutgoingMessage(text, f"{content.name}.items.{number - 1}", buttons)


def reask_message(content: ContentFile, number: int) -> OutgoingMessage:
    """Return the "please pick an answer" message for item ``number``."""
    return content.message("reask.question" if number == QUESTION_ITEM else "reask.statement")


def result_messages(content: ContentFile, group: str, *, sms: bool) -> list[OutgoingMessage]:
    """Return what the group means for the patient, then that the result is saved.

    Raises:
        ValueError: ``group`` is not one of the three groups.
    """
    if group not in GROUPS:
        raise ValueError(f"unknown STarT Back group {group!r}")
    menu = content.buttons("buttons.menu")
    return [
        content.message(f"result.{group}", sms=sms),
        content.message("result.saved", buttons=menu),
    ]


def error_message(content: ContentFile) -> OutgoingMessage:
    """Return the apology for answers that could not be scored, with a way to start again."""
    return content.message("result.error", buttons=content.buttons("buttons.again", "buttons.menu"))

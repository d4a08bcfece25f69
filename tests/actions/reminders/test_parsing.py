"""Reading which reminder, the days, the time and a place from what patients type."""

from datetime import time

import pytest

from actions.reminders.form import prefill
from actions.reminders.parsing import read_days, read_kind, read_time, read_zone
from bot.reminders.schedule import QuietHours

QUIET = QuietHours.parse("21:00-08:00")
ALL = frozenset(range(7))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("my exercises", "exercise"),
        ("Exercises", "exercise"),
        ("my stretches", "exercise"),
        ("weekly check-in", "checkin"),
        ("the checkin", "checkin"),
        ("check in", "checkin"),
        ("the questionnaire", "checkin"),
        ("both", None),
        ("exercises and the check in", None),
        ("", None),
        ("/set_reminder{\"reminder_kind\": \"exercise\"}", "exercise"),
    ],
)
def test_which_reminder(text, kind):
    assert read_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("every day", ALL),
        ("Everyday", ALL),
        ("daily please", ALL),
        ("weekdays", {0, 1, 2, 3, 4}),
        ("week days", {0, 1, 2, 3, 4}),
        ("Monday to Friday", {0, 1, 2, 3, 4}),
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("weekends", {5, 6}),
        ("saturday and sunday", {5, 6}),
        ("Mon, Wed and Fri", {0, 2, 4}),
        ("mon wed fri", {0, 2, 4}),
        ("mon,wed,fri", {0, 2, 4}),  # as stored
        ("tuesdays and thursdays", {1, 3}),
        ("Sundays", {6}),
        ("sunday only", {6}),
        ("fri to mon", {4, 5, 6, 0}),  # a range may wrap round the week
        ("thurs", {3}),
        ("once a week", None),
        ("whenever", None),
        ("", None),
    ],
)
def test_the_days(text, days):
    assert read_days(text) == (frozenset(days) if days is not None else None)


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("9am", time(9, 0)),
        ("9 am", time(9, 0)),
        ("9AM", time(9, 0)),
        ("6.30pm", time(18, 30)),
        ("6:30 p.m.", time(18, 30)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("18:00", time(18, 0)),
        ("07:30", time(7, 30)),
        ("7", time(7, 0)),  # 7 to 11 are mornings
        ("11", time(11, 0)),
        ("12", time(12, 0)),
        ("6", time(18, 0)),  # 1 to 6 are afternoons and evenings
        ("at 6", time(18, 0)),
        ("7 in the evening", time(19, 0)),
        ("8 in the morning", time(8, 0)),
        ("1:30", time(13, 30)),
        ("half 7", time(7, 30)),
        ("7 o'clock", time(7, 0)),
        ("noon", time(12, 0)),
        ("lunchtime", time(12, 0)),
        ("in the evening", time(18, 0)),
        ("morning", time(9, 0)),
        ("9am New York time", time(9, 0)),
        ("0", None),
        ("25:00", None),
        ("13pm", None),
        ("9:75", None),
        ("whenever", None),
        ("", None),
    ],
)
def test_the_time(text, at):
    assert read_time(text) == at


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("remind me every day at 9am", time(9, 0)),
        ("remind me at 7 every morning", time(7, 0)),
        ("change my reminder to 18:30", time(18, 30)),
        ("remind me 3 days a week", None),  # not 3pm
        ("remind me every morning", None),  # which time in the morning is asked
        ("remind me to do my exercises", None),
    ],
)
def test_a_message_that_says_more_than_the_time_is_read_strictly(text, at):
    assert read_time(text, strict=True) == at


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("9am New York time", "America/New_York"),
        ("9am in Sydney", "Australia/Sydney"),
        ("8 am los angeles", "America/Los_Angeles"),
        ("7pm Europe/Madrid", "Europe/Madrid"),
        ("9am UK time", "Europe/London"),
        ("9am GMT", "Europe/London"),
        ("9am, I'm in Ireland", "Europe/Dublin"),
        ("9am paris", "Europe/Paris"),
        ("9am", None),
        ("when I wake up", None),  # not Pacific/Wake
        ("after Easter", None),
        ("up north", None),
    ],
)
def test_a_place_named_with_the_time(text, zone):
    assert read_zone(text) == zone


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        ("set a reminder", [], {}),
        (
            "remind me to do my exercises every weekday at 9am",
            [],
            {"reminder_kind": "exercise", "reminder_days": "mon,tue,wed,thu,fri",
             "reminder_time": "09:00"},
        ),
        (
            "remind me about my check-in on Sundays at 6pm",
            [],
            {"reminder_kind": "checkin", "reminder_days": "sun", "reminder_time": "18:00"},
        ),
        # A time in the quiet hours is left for the form to ask about.
        ("remind me to exercise every day at 11pm", [], {"reminder_kind": "exercise",
                                                          "reminder_days": "mon,tue,wed,thu,fri,sat,sun"}),
        (
            "/set_reminder",
            [{"entity": "reminder_kind", "value": "checkin"}],
            {"reminder_kind": "checkin"},
        ),
        ("move my reminder to 7pm Paris time", [],
         {"reminder_time": "19:00", "reminder_zone": "Europe/Paris"}),
    ],
)
def test_a_first_message_fills_what_it_says(text, entities, expected):
    assert prefill(text, entities, QUIET) == expected

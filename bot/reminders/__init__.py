"""Opt-in exercise and check-in reminders that survive restarts.

A patient sets a reminder in the chat (``actions/reminders/``): which (exercises or the
weekly check-in), the days, the time of day; the time zone and the quiet hours come
from the settings. The schedule is a row in SQL (:mod:`.store`), its arithmetic is
plain Python (:mod:`.schedule`), and the scheduler process (:mod:`.scheduler`, started
and supervised by the launcher) sends each due reminder once: a text through the SMS
channel's sender, or, on the web chat, a message kept until the patient next opens the
chat (:mod:`bot.channels.web.channel`). The reminder's words are in
``content/reminders.yml`` (:mod:`.messages`).
"""

"""Opt-in reminders in the chat: set, change and stop them.

The patient's words are read by :mod:`.parsing` and :mod:`.form`, the replies built by
:mod:`.messages` from ``content/reminders.yml``, and the thin Action classes are in
:mod:`.actions`. The settings are kept in SQL by :mod:`bot.reminders.store`, and the
reminders are sent by the scheduler process (:mod:`bot.reminders.scheduler`).
"""

"""The clinicians' console: sign-in, the red-flag case queue, and the audit of every read.

A Django 5.2 project of its own process, over the bot's database
(``BACKCARE_DATABASE_URL``). It reads ``care_team_outbox`` without ever writing it and
keeps its own tables (case states, transitions, the audit) through migrations::

    python -m console createuser alice --role clinician   # password from stdin or prompted
    python -m console serve                               # http://127.0.0.1:$BACKCARE_CONSOLE_PORT

The apps are split by concern: :mod:`console.accounts` (sign-in, roles, the manage
commands), :mod:`console.cases` (the queue and each case's state), :mod:`console.transcripts`
(the conversations of Rasa's ``events`` table, read-only: list, transcripts, reviewed
mark) and
:mod:`console.audit` (the append-only audit log).
"""

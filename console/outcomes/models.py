"""The action server's tables the outcomes page reads (read-only, never migrated).

- :class:`StartBackRow`: ``start_back_results`` (:mod:`actions.start_back.store`), one
  row per completed STarT Back questionnaire.
- :class:`ExerciseLogRow`: ``exercise_logs`` (:mod:`actions.exercises.store`), one row
  per patient per day with exercises done.

Either may not exist yet on a new install (the action server creates them on first use);
the page checks before reading.
"""

from __future__ import annotations

from django.db import models

from console.readonly import ReadOnlyModel


class StartBackRow(ReadOnlyModel):
    """One completed STarT Back: the answers, scores and risk group."""

    id = models.AutoField(primary_key=True)
    sender_id = models.CharField(max_length=255)
    answers = models.TextField()
    total = models.IntegerField()
    psychosocial = models.IntegerField()
    risk_group = models.CharField(max_length=8)
    completed_at = models.DateTimeField()

    class Meta:
        """The action server's table: never migrated, never written."""

        managed = False
        db_table = "start_back_results"
        default_permissions = ()


class ExerciseLogRow(ReadOnlyModel):
    """One day of a patient's exercise log."""

    id = models.AutoField(primary_key=True)
    sender_id = models.CharField(max_length=255)
    day = models.DateField()
    done = models.IntegerField()
    planned = models.IntegerField(null=True)
    reason = models.CharField(max_length=32, null=True)
    updated_at = models.DateTimeField()

    class Meta:
        """The action server's table: never migrated, never written."""

        managed = False
        db_table = "exercise_logs"
        default_permissions = ()

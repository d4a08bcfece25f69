"""The legal hold: a conversation the retention purge must keep, whatever its age.

One row per held conversation, naming who set it and when; setting and clearing it are
audited (:data:`console.audit.models.Kind.LEGAL_HOLD`, written by the view). The
model's permission is the admin's: it also allows erasing a patient.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LegalHold(models.Model):
    """A conversation kept by ``python -m console purge`` until the hold is cleared."""

    sender_id = models.CharField(max_length=255, unique=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        """The console's table; its permission is the admin's."""

        db_table = "console_legal_hold"
        default_permissions = ()
        permissions = [("erase_patients", "Can set legal holds and erase a patient's data")]

"""A case's conversation (``/conversations/<case id>/``); every read is audited.

The URL names the case, never the conversation id (for SMS that is a phone number).
"""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from console.accounts.roles import WORK_CASES, RoleRequiredMixin
from console.audit.models import Kind
from console.audit.record import record
from console.cases.queue import case_or_404
from console.transcripts.lines import transcript


class TranscriptView(RoleRequiredMixin, TemplateView):
    """The patient's and the assistant's messages, intents and red flags, in order."""

    permission_required = WORK_CASES
    template_name = "transcripts/transcript.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Return the case and its transcript lines; audit the read."""
        context = super().get_context_data(**kwargs)
        case = case_or_404(int(kwargs["alert_id"]))
        lines = transcript(case.alert.conversation_id, case.alert.alert_key)
        record(
            self.request,
            Kind.TRANSCRIPT_VIEW,
            target=f"case:{case.alert.id}",
            detail=f"{len(lines)} messages",
        )
        context.update(case=case, lines=lines)
        result: dict[str, Any] = context
        return result

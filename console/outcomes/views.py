"""A patient's outcomes page, ``/conversations/P-<key>/outcomes/``; every read is audited.

Clinicians and admins (the permission to work cases) read it from the transcript or a
case. It shows the PEG chart with flare-ups and red flags (drawn by :mod:`.chart`, with
a table of the same facts beside it), the latest STarT Back group, the pacing plans'
progress and the exercise days per week (:mod:`.outcomes`). Nothing here writes.
"""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from actions.start_back.messages import get_start_back_content
from console.accounts.roles import WORK_CASES, RoleRequiredMixin
from console.audit.models import Kind
from console.audit.record import record
from console.cases.masking import mask_phone, pseudonym
from console.outcomes.chart import adherence_chart, peg_chart
from console.outcomes.outcomes import patient_outcomes
from console.transcripts.views import indexed


class OutcomesView(RoleRequiredMixin, TemplateView):
    """One patient's outcomes over time."""

    permission_required = WORK_CASES
    template_name = "outcomes/patient.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Return the patient's outcomes and their charts; audit the read."""
        context = super().get_context_data(**kwargs)
        conversation = indexed(str(kwargs["key"]))
        sender_id = conversation.sender_id
        outcomes = patient_outcomes(sender_id)
        latest = outcomes.start_back_latest
        record(
            self.request,
            Kind.OUTCOMES_VIEW,
            target=f"conversation:{conversation.key}",
            detail=f"{len(outcomes.checkins)} check-ins, {len(outcomes.flare_ups)} flare-ups, "
            f"{len(outcomes.red_flags)} red flags, STarT Back "
            f"{latest.group if latest else 'none'}, {len(outcomes.pacing)} pacing plans, "
            f"{len(outcomes.adherence)} exercise weeks",
        )
        context.update(
            conversation=conversation,
            patient=pseudonym(sender_id),
            phone=mask_phone(sender_id),
            outcomes=outcomes,
            peg_chart=peg_chart(outcomes.peg_points, outcomes.markers) if outcomes.charted else "",
            exercise_chart=adherence_chart(outcomes.week_bars) if outcomes.adherence else "",
            start_back_credit=get_start_back_content().data["metadata"]["credit"],
        )
        result: dict[str, Any] = context
        return result

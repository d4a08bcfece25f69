"""Build the case queue: outbox rows joined with their states and deadlines, sorted.

Open cases come first, most urgent tier first, then oldest first; overdue means still
new after the tier's acknowledgement deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.http import Http404

from console.cases import deadlines
from console.cases.masking import mask_phone, pseudonym
from console.cases.models import CaseState, OutboxAlert, RealertRecord, State
from console.cases.workflow import NEXT_STATE


@dataclass(frozen=True)
class Case:
    """What the queue shows of one case."""

    alert: OutboxAlert
    state: str
    deadline: datetime
    overdue: bool
    overdue_by: timedelta | None
    patient: str
    phone: str
    outcome: str

    @property
    def next_state(self) -> str | None:
        """Return the state the next step leads to (None when closed)."""
        return NEXT_STATE.get(self.state)

    @property
    def state_label(self) -> str:
        """Return the state as the clinician reads it."""
        return State.LABELS[self.state]

    @property
    def overdue_for(self) -> str:
        """Return how long past the deadline an overdue case is, e.g. ``1 h 05 min``."""
        if self.overdue_by is None:
            return ""
        minutes = int(self.overdue_by.total_seconds() // 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        if days:
            return f"{days} d {hours} h"
        return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"

    @property
    def is_open(self) -> bool:
        """Say whether the case still needs work."""
        return self.state != State.CLOSED


def case_for(alert: OutboxAlert, row: CaseState | None, moment: datetime) -> Case:
    """Return the queue's view of ``alert`` with its state row (if any) at ``moment``."""
    state = str(row.state) if row else State.NEW
    deadline = deadlines.deadline_for(alert.tier, alert.created_at)
    overdue = state == State.NEW and moment > deadline
    return Case(
        alert=alert,
        state=state,
        deadline=deadline,
        overdue=overdue,
        overdue_by=(moment - deadline) if overdue else None,
        patient=pseudonym(alert.conversation_id),
        phone=mask_phone(alert.conversation_id),
        outcome=row.outcome if row else "",
    )


def build_queue(show: str = "open") -> list[Case]:
    """Return the cases to list: ``open`` (default), ``closed`` or ``all``."""
    moment = deadlines.now()
    alerts = list(OutboxAlert.objects.order_by("priority", "created_at", "id"))
    rows = {row.alert_id: row for row in CaseState.objects.all()}
    cases = [case_for(alert, rows.get(alert.id), moment) for alert in alerts]
    if show == "open":
        cases = [case for case in cases if case.is_open]
    elif show == "closed":
        cases = [case for case in cases if not case.is_open]
    # Open before closed; then the most urgent tier; within a tier overdue first, then oldest.
    return sorted(
        cases,
        key=lambda case: (
            not case.is_open,
            case.alert.priority,
            not case.overdue,
            case.alert.created_at,
        ),
    )


def load_case(alert_id: int) -> Case | None:
    """Return one case, or None when no such alert exists."""
    alert = OutboxAlert.objects.filter(id=alert_id).first()
    if alert is None:
        return None
    return case_for(alert, CaseState.objects.filter(alert_id=alert_id).first(), deadlines.now())


def case_or_404(alert_id: int) -> Case:
    """Return the case of outbox row ``alert_id``, or raise Http404."""
    case = load_case(alert_id)
    if case is None:
        raise Http404("no such case")
    return case


def realerts_for(alert_id: int) -> list[RealertRecord]:
    """Return the re-alerts the delivery worker made for a case (none before it has run)."""
    if RealertRecord._meta.db_table not in connection.introspection.table_names():
        return []
    return list(RealertRecord.objects.filter(alert_id=alert_id))

"""Build the case queue: outbox rows joined with their states and deadlines, sorted.

Open cases come first, most urgent tier first, then oldest first; overdue means still
new after the tier's acknowledgement deadline. Every open case is listed; closed cases
accumulate for ever, so they come a page at a time (:data:`CLOSED_PER_PAGE`)::

    queue = build_queue("all", page=2)  # every open case, then closed cases 51-100
    queue.cases, queue.page, queue.pages, queue.closed_total

The queue may hold hundreds of open cases, so what a row prints (times, pseudonym) is
worked out here once per case rather than by template filters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.db import connection
from django.http import Http404

from bot.alerts.deadlines import Rule
from console.cases import deadlines
from console.cases.masking import mask_phone, pseudonym
from console.cases.models import CaseState, OutboxAlert, RealertRecord, State
from console.cases.workflow import NEXT_STATE

SHOW_CHOICES = ("open", "closed", "all")
CLOSED_PER_PAGE = 50
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ORDER = ("priority", "created_at", "id")


def utc_text(moment: datetime) -> str:
    """Return ``moment`` in UTC as the queue prints it, e.g. ``25 Nov 09:15``."""
    utc = moment.astimezone(dt_timezone.utc)
    return f"{utc.day} {_MONTHS[utc.month - 1]} {utc:%H:%M}"


def utc_iso(moment: datetime) -> str:
    """Return ``moment`` in UTC as ISO 8601, for a ``<time datetime>`` attribute."""
    return moment.astimezone(dt_timezone.utc).isoformat()


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

    @property
    def deadline_text(self) -> str:
        """Return the acknowledgement deadline as printed, e.g. ``25 Nov 09:15``."""
        return utc_text(self.deadline)

    @property
    def deadline_iso(self) -> str:
        """Return the acknowledgement deadline in ISO 8601."""
        return utc_iso(self.deadline)

    @property
    def raised_text(self) -> str:
        """Return when the alert was raised as printed, e.g. ``25 Nov 09:00``."""
        return utc_text(self.alert.created_at)

    @property
    def raised_iso(self) -> str:
        """Return when the alert was raised in ISO 8601."""
        return utc_iso(self.alert.created_at)


def case_for(
    alert: OutboxAlert,
    row: CaseState | None,
    moment: datetime,
    rule: Rule | None = None,
    patient: str | None = None,
) -> Case:
    """Return the queue's view of ``alert`` with its state row (if any) at ``moment``.

    ``rule`` (the tier's deadline rule) and ``patient`` (the pseudonym) may be given
    when the caller already has them, as :func:`build_queue` does for many cases.
    """
    state = str(row.state) if row else State.NEW
    if rule is None:
        deadline = deadlines.deadline_for(alert.tier, alert.created_at)
    else:
        deadline = rule.after(alert.created_at)
    overdue = state == State.NEW and moment > deadline
    return Case(
        alert=alert,
        state=state,
        deadline=deadline,
        overdue=overdue,
        overdue_by=(moment - deadline) if overdue else None,
        patient=patient if patient is not None else pseudonym(alert.conversation_id),
        phone=mask_phone(alert.conversation_id),
        outcome=row.outcome if row else "",
    )


@dataclass(frozen=True)
class Queue:
    """What the queue lists: every open case, and one page of closed ones.

    ``page`` and ``pages`` count pages of closed cases (1 of 1 when there are none or
    when only open cases are listed).
    """

    cases: list[Case]
    show: str
    page: int
    pages: int
    closed_total: int

    @property
    def overdue_count(self) -> int:
        """Return how many listed cases are overdue for acknowledgement."""
        return sum(1 for case in self.cases if case.overdue)

    @property
    def has_previous(self) -> bool:
        """Say whether an earlier page of closed cases exists."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Say whether a later page of closed cases exists."""
        return self.page < self.pages


def _cases(alerts: list[OutboxAlert], rows: dict[int, CaseState], moment: datetime) -> list[Case]:
    # One parsed rule per tier and one keyed hash per patient, not one per case.
    rules: dict[str, Rule] = {}
    patients: dict[str, str] = {}
    cases = []
    for alert in alerts:
        if alert.tier not in rules:
            rules[alert.tier] = deadlines.rule_for(alert.tier)
        if alert.conversation_id not in patients:
            patients[alert.conversation_id] = pseudonym(alert.conversation_id)
        row = rows.get(alert.id)
        patient = patients[alert.conversation_id]
        cases.append(case_for(alert, row, moment, rules[alert.tier], patient))
    return cases


def build_queue(show: str = "open", page: int = 1) -> Queue:
    """Return the cases to list: ``open`` (default), ``closed`` or ``all``.

    Open cases are all listed, most urgent tier first, within a tier overdue first,
    then oldest; closed cases follow, :data:`CLOSED_PER_PAGE` to a ``page`` (a page
    beyond the last shows the last), most urgent tier first, then oldest.
    """
    show = show if show in SHOW_CHOICES else "open"
    moment = deadlines.now()
    closed_ids = CaseState.objects.filter(state=State.CLOSED).values("alert_id")
    cases: list[Case] = []
    if show in ("open", "all"):
        alerts = list(OutboxAlert.objects.exclude(id__in=closed_ids).order_by(*_ORDER))
        rows = {row.alert_id: row for row in CaseState.objects.exclude(state=State.CLOSED)}
        opened = _cases(alerts, rows, moment)
        # Already by tier and age; a stable sort lifts the overdue within each tier.
        cases = sorted(opened, key=lambda case: (case.alert.priority, not case.overdue))
    closed_total = 0
    pages = 1
    page = max(page, 1)
    if show in ("closed", "all"):
        closed = OutboxAlert.objects.filter(id__in=closed_ids).order_by(*_ORDER)
        closed_total = closed.count()
        pages = max(1, math.ceil(closed_total / CLOSED_PER_PAGE))
        page = min(page, pages)
        start = (page - 1) * CLOSED_PER_PAGE
        alerts = list(closed[start : start + CLOSED_PER_PAGE])
        rows = {
            row.alert_id: row
            for row in CaseState.objects.filter(alert_id__in=[alert.id for alert in alerts])
        }
        cases += _cases(alerts, rows, moment)
    else:
        page = 1
    return Queue(cases=cases, show=show, page=page, pages=pages, closed_total=closed_total)


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

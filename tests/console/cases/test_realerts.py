"""A case's page shows the delivery worker's re-alerts of it (read from care_team_realert)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.schema import CreateTable

from bot.alerts.overdue import realerts
from console.cases.models import RealertRecord
from console.readonly import ReadOnlyError
from tests.console.conftest import T0, _dialect


@pytest.fixture
def realert_table(outbox):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(str(CreateTable(realerts).compile(dialect=_dialect())))

    def add(alert_id, period, status, delivered=None):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO care_team_realert (alert_id, period, deadline_at, due_at, created_at,"
                " status, attempts, next_attempt_at, delivered_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, 0, %s, %s)",
                [
                    alert_id,
                    period,
                    T0 + timedelta(minutes=15),
                    T0 + timedelta(minutes=15 * period),
                    T0 + timedelta(minutes=15 * period),
                    status,
                    T0 + timedelta(minutes=15 * period),
                    delivered,
                ],
            )

    return add


def test_the_case_page_lists_its_re_alerts(outbox, realert_table, clinician_client, frozen):
    case_id = outbox.add()
    realert_table(case_id, 1, "superseded")
    realert_table(case_id, 2, "delivered", T0 + timedelta(minutes=30, seconds=4))
    realert_table(case_id, 3, "pending")
    frozen(T0 + timedelta(minutes=46))
    page = clinician_client.get(f"/cases/{case_id}/").content.decode()
    assert "Re-alerts to the care team" in page
    assert "Deadline period 1 ended" in page and "replaced by a later re-alert" in page
    assert "re-alerted <time" in page and "25 Nov 09:30 UTC" in page
    assert "re-alert waiting to be delivered" in page


def test_a_case_without_re_alerts_or_without_the_worker_s_table_shows_none(
    outbox, clinician_client, frozen
):
    case_id = outbox.add()
    page = clinician_client.get(f"/cases/{case_id}/").content.decode()
    assert "Re-alerts to the care team" not in page


def test_the_console_never_writes_the_worker_s_table(outbox, realert_table):
    realert_table(outbox.add(), 1, "delivered", T0)
    record = RealertRecord.objects.get()
    with pytest.raises(ReadOnlyError):
        record.save()
    with pytest.raises(ReadOnlyError):
        record.delete()

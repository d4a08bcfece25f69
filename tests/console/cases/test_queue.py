"""Case queue (/cases/): content, masking, escaping, order, deadlines and overdue marking."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from console.audit.models import AuditEvent, Kind
from console.cases.deadlines import add_working_days, deadline_for
from console.cases.masking import mask_phone, pseudonym
from tests.console.conftest import T0


def test_queue_lists_a_case_with_tier_flags_message_and_times(outbox, clinician_client, frozen):
    case_id = outbox.add()
    page = clinician_client.get("/cases/").content.decode()
    assert f"Case {case_id}" in page
    assert "emergency" in page
    assert "cauda_equina_bladder" in page
    assert "I can&#x27;t feel my saddle area and I wet myself" in page
    assert "25 Nov 09:00 UTC" in page  # raised
    assert "25 Nov 09:15 UTC" in page  # acknowledge by: 15 minutes for an emergency


def test_queue_escapes_the_patients_message(outbox, clinician_client, frozen):
    outbox.add(message='<script>alert("x")</script><b>bold</b>')
    page = clinician_client.get("/cases/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page


def test_queue_masks_phone_numbers_and_shows_a_pseudonym(outbox, clinician_client, frozen):
    outbox.add(conversation_id="+447700900123", channel="twilio", tier="urgent")
    page = clinician_client.get("/cases/").content.decode()
    assert "+447700900123" not in page
    assert "7700900" not in page
    assert "+44 ••• ••• 123" in page
    assert pseudonym("+447700900123") in page


def test_queue_never_shows_a_raw_conversation_id(outbox, clinician_client, frozen):
    outbox.add(conversation_id="rest:someone-private")
    page = clinician_client.get("/cases/").content.decode()
    assert "someone-private" not in page


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("+447700900123", "+44 ••• ••• 123"),
        ("+1 (555) 010-4477", "+15 ••• ••• 477"),
        ("web-3f2a9c", ""),
        ("rest:me", ""),
    ],
)
def test_masking_of_conversation_ids(value, masked):
    assert mask_phone(value) == masked


def test_queue_sorts_by_urgency_then_time(outbox, clinician_client, frozen):
    soon = outbox.add(tier="soon", flags=("night_pain",), created=T0 - timedelta(hours=5))
    late_emergency = outbox.add(created=T0)
    early_emergency = outbox.add(created=T0 - timedelta(minutes=5))
    urgent = outbox.add(tier="urgent", flags=("fever",), created=T0 - timedelta(hours=1))
    page = clinician_client.get("/cases/").content.decode()
    order = [
        page.index(f'data-case="{case}"')
        for case in (early_emergency, late_emergency, urgent, soon)
    ]
    assert order == sorted(order)


def test_overdue_unacknowledged_case_is_marked_in_words_with_a_frozen_clock(
    outbox, clinician_client, frozen
):
    case_id = outbox.add(created=T0)
    frozen(T0 + timedelta(minutes=14))
    page = clinician_client.get("/cases/").content.decode()
    assert "OVERDUE" not in page
    frozen(T0 + timedelta(minutes=20))
    page = clinician_client.get("/cases/").content.decode()
    assert "OVERDUE</strong> by 5 min" in page
    assert "1 overdue for acknowledgement" in page
    assert f'class="tier-emergency overdue" data-case="{case_id}"' in page


def test_an_acknowledged_case_is_no_longer_overdue(outbox, clinician_client, frozen):
    case_id = outbox.add(created=T0)
    frozen(T0 + timedelta(hours=1))
    clinician_client.post(f"/cases/{case_id}/step/", {"expected": "new"})
    page = clinician_client.get("/cases/").content.decode()
    assert "OVERDUE" not in page
    assert "acknowledged" in page


@pytest.mark.parametrize(
    ("tier", "created", "deadline"),
    [
        ("emergency", T0, T0 + timedelta(minutes=15)),
        ("crisis", T0, T0 + timedelta(minutes=15)),
        ("urgent", T0, T0 + timedelta(hours=2)),
        ("soon", T0, T0 + timedelta(days=2)),  # Wednesday -> Friday
        # Friday 17:00 + 2 working days -> Tuesday 17:00
        (
            "soon",
            datetime(2026, 11, 27, 17, 0, tzinfo=timezone.utc),
            datetime(2026, 12, 1, 17, 0, tzinfo=timezone.utc),
        ),
        ("none", T0, T0 + timedelta(days=2)),
    ],
)
def test_acknowledgement_deadline_per_tier(tier, created, deadline):
    assert deadline_for(tier, created) == deadline


def test_deadlines_come_from_settings(settings):
    settings.CONSOLE_ACK_DEADLINES = {"emergency": "5 minutes"}
    assert deadline_for("emergency", T0) == T0 + timedelta(minutes=5)
    assert deadline_for("urgent", T0) == add_working_days(T0, 2)


def test_closed_cases_leave_the_open_queue_and_show_under_closed(outbox, clinician_client, frozen):
    case_id = outbox.add(tier="soon", flags=("night_pain",))
    for expected in ("new", "acknowledged", "contacted"):
        clinician_client.post(f"/cases/{case_id}/step/", {"expected": expected, "note": "done"})
    assert f'data-case="{case_id}"' not in clinician_client.get("/cases/").content.decode()
    assert f'data-case="{case_id}"' in clinician_client.get("/cases/?show=closed").content.decode()


def test_queue_updates_itself_with_its_own_script_only(outbox, clinician_client, frozen):
    page = clinician_client.get("/cases/").content.decode()
    assert '<script src="/static/console/queue.js" defer></script>' in page
    assert page.count("<script") == 1
    assert 'data-refresh-url="/cases/rows/?show=open&amp;auto=1"' in page
    assert 'data-refresh-seconds="15"' in page
    # Without script the page still reloads itself, more slowly.
    assert (
        '<noscript><meta http-equiv="refresh" content="60;url=/cases/?show=open&amp;auto=1">'
        "</noscript>" in page
    )
    assert "http://" not in page and "https://" not in page


def test_the_script_is_served_by_the_console_and_fetches_only_its_own_rows(client):
    from django.conf import settings

    script = (settings.STATIC_ROOT / "console" / "queue.js").read_text(encoding="utf-8")
    assert "data-refresh-url" in script
    assert "http" not in script.replace("X-Requested-With", "")  # no address of its own
    response = client.get("/static/console/queue.js")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]


def test_the_rows_fragment_shows_the_queue_with_overdue_cases_marked(
    outbox, clinician_client, frozen
):
    late = outbox.add(tier="emergency")
    fresh = outbox.add(tier="soon", flags=("night_pain",), created=T0 + timedelta(minutes=30))
    frozen(T0 + timedelta(minutes=40))
    response = clinician_client.get("/cases/rows/?show=open&auto=1")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment and "<script" not in fragment
    assert f'<tr class="tier-emergency overdue" data-case="{late}">' in fragment
    assert f'<tr class="tier-soon" data-case="{fresh}">' in fragment
    assert "1 overdue for acknowledgement" in fragment
    assert "OVERDUE</strong> by 25 min" in fragment
    assert 'name="csrfmiddlewaretoken"' in fragment  # its Acknowledge buttons still post


def test_an_automatic_refresh_is_audited_when_the_cases_shown_change(
    outbox, clinician_client, frozen
):
    first = outbox.add()
    clinician_client.get("/cases/")
    for _ in range(3):
        clinician_client.get("/cases/rows/?show=open&auto=1")
    second = outbox.add(tier="urgent", flags=("progressive_weakness",))
    clinician_client.get("/cases/rows/?show=open&auto=1")
    clinician_client.get("/cases/rows/?show=open&auto=1")
    views = list(
        AuditEvent.objects.filter(kind=Kind.QUEUE_VIEW).order_by("id").values_list("detail", flat=True)
    )
    assert views == [f"cases {first}", f"auto-refresh; cases {first},{second}"]


def test_clinicians_only_get_the_rows(outbox, client, admin_client_, make_user):
    from tests.console.conftest import signed_in

    assert client.get("/cases/rows/").status_code == 302
    assert signed_in(make_user("nobody", role="")).get("/cases/rows/").status_code == 403
    assert admin_client_.get("/cases/rows/").status_code == 200


def test_queue_view_is_audited(outbox, clinician_client, frozen):
    case_id = outbox.add()
    clinician_client.get("/cases/")
    event = AuditEvent.objects.get(kind=Kind.QUEUE_VIEW)
    assert event.username == "dr_jones"
    assert event.detail == f"cases {case_id}"
    assert event.ip_address == "127.0.0.1"


def test_anonymous_visitor_is_sent_to_sign_in(outbox, client):
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/cases/")


def test_user_without_a_role_is_refused(outbox, make_user):
    from tests.console.conftest import signed_in

    assert signed_in(make_user("nobody", role="")).get("/cases/").status_code == 403


def test_the_tests_run_on_the_database_the_url_names(db):
    from django.db import connection

    from bot.settings import get_settings

    expected = "postgresql" if get_settings().database_url.startswith("postgresql") else "sqlite"
    assert connection.vendor == expected


def close(case_id: int) -> None:
    from console.cases.models import CaseState

    CaseState.objects.create(alert_id=case_id, state="closed", outcome="seen in clinic")


def shown(page: str) -> list[int]:
    import re

    return [int(number) for number in re.findall(r'data-case="(\d+)"', page)]


def test_closed_cases_come_fifty_to_a_page_and_open_ones_all(outbox, clinician_client, frozen):
    from console.cases.queue import CLOSED_PER_PAGE

    closed = [outbox.add(created=T0 - timedelta(minutes=n)) for n in range(CLOSED_PER_PAGE + 7)]
    for case_id in closed:
        close(case_id)
    opened = [outbox.add(tier="urgent", flags=("fever",)) for _ in range(3)]
    oldest_first = list(reversed(closed))

    first = clinician_client.get("/cases/?show=closed").content.decode()
    assert shown(first) == oldest_first[:CLOSED_PER_PAGE]
    assert "closed cases: page 1 of 2, 57 in all" in first
    assert 'href="/cases/?show=closed&amp;page=2" rel="next">More closed cases' in first
    assert 'rel="prev"' not in first

    second = clinician_client.get("/cases/?show=closed&page=2").content.decode()
    assert shown(second) == oldest_first[CLOSED_PER_PAGE:]
    assert 'href="/cases/?show=closed&amp;page=1" rel="prev"' in second
    assert 'data-refresh-url="/cases/rows/?show=closed&amp;page=2&amp;auto=1"' in second

    every = clinician_client.get("/cases/?show=all&page=2").content.decode()
    assert shown(every) == opened + oldest_first[CLOSED_PER_PAGE:]
    # Acknowledging from that page comes back to it.
    assert '<input type="hidden" name="next" value="/cases/?show=all&amp;page=2">' in every
    assert shown(clinician_client.get("/cases/").content.decode()) == opened
    assert "Pages of closed cases" not in clinician_client.get("/cases/").content.decode()


@pytest.mark.parametrize(("asked", "page"), [("99", 2), ("0", 1), ("-3", 1), ("two", 1)])
def test_a_page_out_of_range_or_unreadable_shows_the_nearest(
    outbox, clinician_client, frozen, asked, page
):
    from console.cases.queue import CLOSED_PER_PAGE, build_queue

    for _ in range(CLOSED_PER_PAGE + 1):
        close(outbox.add())
    body = clinician_client.get(f"/cases/?show=closed&page={asked}").content.decode()
    assert f"Closed cases, page {page} of 2" in body
    assert build_queue("closed", page=int(asked) if asked.lstrip("-").isdigit() else 1).page == page


def test_reading_a_page_of_closed_cases_is_audited_with_its_page(outbox, clinician_client, frozen):
    from console.cases.queue import CLOSED_PER_PAGE

    ids = [outbox.add() for _ in range(CLOSED_PER_PAGE + 1)]
    for case_id in ids:
        close(case_id)
    clinician_client.get("/cases/?show=closed&page=2")
    event = AuditEvent.objects.filter(kind=Kind.QUEUE_VIEW).latest("id")
    assert event.target == "queue:closed page 2"
    assert event.detail == f"cases {ids[-1]}"


def test_case_addresses_in_the_queue_are_the_case_urls(outbox, clinician_client, frozen):
    from django.urls import reverse

    case_id = outbox.add()
    page = clinician_client.get("/cases/").content.decode()
    assert f'href="{reverse("cases:detail", args=[case_id])}"' in page
    assert f'action="{reverse("cases:step", args=[case_id])}"' in page


@pytest.mark.parametrize(
    ("moment", "text", "iso"),
    [
        (T0, "25 Nov 09:00", "2026-11-25T09:00:00+00:00"),
        (
            datetime(2026, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=-2))),
            "2 Mar 01:30",
            "2026-03-02T01:30:00+00:00",
        ),
    ],
)
def test_queue_times_are_printed_in_utc(moment, text, iso):
    from console.cases.queue import utc_iso, utc_text

    assert utc_text(moment) == text
    assert utc_iso(moment) == iso

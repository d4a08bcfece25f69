"""The outcomes page (/conversations/P-<key>/outcomes/): who may read it, what it shows, audit."""

from __future__ import annotations

import pytest

from console.audit.models import AuditEvent, Kind
from console.transcripts.index import conversation_key
from tests.console.conftest import signed_in
from tests.console.outcomes.seeding import SENDER
from tests.console.transcripts.conftest import user


def url(sender: str = SENDER) -> str:
    return f"/conversations/{conversation_key(sender)}/outcomes/"


@pytest.fixture
def page(seeded, clinician_client) -> str:
    response = clinician_client.get(url())
    assert response.status_code == 200
    return response.content.decode()


def test_sign_in_is_required_and_a_user_without_a_role_is_refused(seeded, client, make_user):
    response = client.get(url())
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert signed_in(make_user("nobody", role="")).get(url()).status_code == 403


def test_an_unknown_patient_is_not_found(seeded, clinician_client):
    assert clinician_client.get(url("web-never-seen")).status_code == 404


def test_the_peg_chart_with_its_table_beside_it(page):
    assert page.count("<svg") == 2  # the PEG chart and the exercise chart
    assert 'class="chart peg-chart"' in page and 'role="img"' in page
    assert "PEG score (0 to 10, lower is better)" in page and "Date (UTC)" in page
    assert page.count('class="peg-point"') == 8
    assert 'class="marker flare-up"' in page and 'class="marker red-flag"' in page
    assert "Check-ins, flare-ups and red flags, oldest first" in page
    assert page.count('class="timeline-check-in"') == 8
    assert page.count('class="timeline-flare-up"') == 2
    assert "urgent: fever_infection" in page
    assert "Triangles on dashed lines: flare-ups" in page
    assert "PEG <strong>7.3</strong>" in page and "(-45%)" in page
    assert "meaningful improvement" in page


def test_the_red_flag_row_links_to_its_case(seeded, clinician_client):
    from console.cases.models import OutboxAlert

    alert = OutboxAlert.objects.get(conversation_id=SENDER)
    page = clinician_client.get(url()).content.decode()
    assert f'href="/cases/{alert.id}/"' in page


def test_start_back_pacing_and_exercise(page):
    assert '<strong class="risk-group">Medium risk</strong>' in page
    assert "5 of 9" in page and "2 of 5 (items 5 to 9)" in page
    assert "Every STarT Back, oldest first" in page and "High risk" in page
    assert "STarT Back Screening Tool, copyright Keele University" in page
    assert "My back pain has spread down my leg(s)" in page
    assert "week 5 of 11: 17 minutes a day" in page
    assert "12 minutes a day" in page and "30 minutes" in page
    assert "Days with exercise per week, oldest first" in page
    assert "2 of 4 (so far)" in page


def test_the_patient_is_named_by_pseudonym_and_masked_number_only(page):
    assert "Outcomes of patient P-" in page
    assert "+44 ••• ••• 456" in page
    assert SENDER not in page and "7700900456" not in page


def test_the_read_is_audited(seeded, clinician_client):
    clinician_client.get(url())
    (event,) = AuditEvent.objects.filter(kind=Kind.OUTCOMES_VIEW)
    assert event.target == f"conversation:{conversation_key(SENDER)}"
    assert event.username == "dr_jones"
    assert event.detail == (
        "8 check-ins, 2 flare-ups, 1 red flags, STarT Back medium, 1 pacing plans, 6 exercise weeks"
    )


def test_a_patient_with_nothing_yet(outcome_tables, clinician_client):
    outcome_tables("web-new", user("hello", "greet", message_id="new-1"))
    page = clinician_client.get(url("web-new")).content.decode()
    assert "<svg" not in page
    assert "No check-ins, flare-ups or red flags yet." in page
    assert "Not completed yet." in page
    assert "No pacing plan." in page and "No exercise days logged." in page


def test_the_transcript_and_the_case_link_to_the_outcomes(seeded, clinician_client):
    from console.cases.models import OutboxAlert

    transcript = clinician_client.get(f"/conversations/{conversation_key(SENDER)}/")
    assert f'href="{url()}"' in transcript.content.decode()
    alert = OutboxAlert.objects.get(conversation_id=SENDER)
    case = clinician_client.get(f"/cases/{alert.id}/").content.decode()
    assert f'href="{url()}"' in case
    from_case = clinician_client.get(f"/conversations/{alert.id}/").content.decode()
    assert f'href="{url()}"' in from_case

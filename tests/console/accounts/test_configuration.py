"""/settings/ for admins: the effective configuration, read-only; clinicians refused,
visitors sent to sign in, every read audited, no secret shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client

from console.accounts.configuration import duration_text, effective_settings
from console.audit.models import AuditEvent, Kind


def test_admin_sees_every_setting_with_its_variable(admin_client_):
    page = admin_client_.get("/settings/").content.decode()
    for text in (
        "Acknowledgement deadline: emergency",
        "Acknowledgement deadline: call-back request",
        "15 minutes",
        "2 hours",
        "2 working days",
        "BACKCARE_ACK_DEADLINE_EMERGENCY",
        "BACKCARE_ACK_DEADLINE_CALLBACK",
        "Sign-in codes (TOTP) mandatory",
        "BACKCARE_CONSOLE_REQUIRE_TOTP",
        "Idle session signed out after",
        "BACKCARE_CONSOLE_IDLE_MINUTES",
        "Failed sign-ins before lockout",
        "Lockout lasts",
        "BACKCARE_DATABASE_URL",
        "Conversations kept after their last event",
        "2920 days",
        "BACKCARE_RETENTION_DAYS",
    ):
        assert text in page, text
    assert "<td>SQLite</td>" in page or "<td>PostgreSQL</td>" in page
    assert "(changed)" not in page


def test_overrides_are_shown_beside_their_defaults(admin_client_, settings):
    settings.CONSOLE_ACK_DEADLINES = {**settings.CONSOLE_ACK_DEADLINES, "emergency": "5 minutes"}
    settings.CONSOLE_IDLE_SECONDS = 30 * 60
    settings.CONSOLE_RETENTION_DAYS = 365
    page = admin_client_.get("/settings/").content.decode()
    assert "<strong>365 days</strong> (changed)" in page
    assert "<strong>5 minutes</strong> (changed)" in page
    assert "<strong>30 minutes</strong> (changed)" in page
    # Mandatory codes would send this admin (who has none) to set them up first.
    settings.CONSOLE_REQUIRE_TOTP = True
    rows = {row.name: row for row in effective_settings()}
    assert rows["Sign-in codes (TOTP) mandatory"].value == "yes"
    assert rows["Sign-in codes (TOTP) mandatory"].changed
    assert rows["Acknowledgement deadline: emergency"].default == "15 minutes"
    assert not rows["Acknowledgement deadline: urgent (same day)"].changed


def test_settings_link_is_in_the_nav_for_admins_only(outbox, admin_client_, clinician_client):
    assert 'href="/settings/">Settings</a>' in admin_client_.get("/cases/").content.decode()
    assert "/settings/" not in clinician_client.get("/cases/").content.decode()


def test_clinicians_are_refused(clinician_client):
    assert clinician_client.get("/settings/").status_code == 403
    assert not AuditEvent.objects.filter(kind=Kind.SETTINGS_VIEW).exists()


def test_visitors_are_sent_to_sign_in(db):
    response = Client().get("/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_reading_the_settings_is_audited(admin_client_, admin_user):
    admin_client_.get("/settings/")
    event = AuditEvent.objects.get(kind=Kind.SETTINGS_VIEW)
    assert event.username == admin_user.get_username()
    audit = admin_client_.get("/audit/").content.decode()
    assert "viewed the settings" in audit


def test_the_page_is_read_only(admin_client_):
    page = admin_client_.get("/settings/").content.decode()
    assert "<form" not in page.split("<main", 1)[1]
    assert admin_client_.post("/settings/").status_code == 405


def test_no_secret_or_database_address_is_shown(admin_client_, settings):
    page = admin_client_.get("/settings/").content.decode()
    assert django_settings.SECRET_KEY not in page
    database = django_settings.DATABASES["default"]
    assert str(database["NAME"]) not in page
    if database.get("PASSWORD"):
        assert database["PASSWORD"] not in page
    for word in ("sqlite:///", "postgresql://", "SECRET", "TOKEN", "PASSWORD"):
        assert word not in page


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(minutes=15), "15 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=2), "2 hours"),
        (timedelta(minutes=90), "90 minutes"),
    ],
)
def test_duration_text(span, text):
    assert duration_text(span) == text

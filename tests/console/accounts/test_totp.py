"""Optional sign-in codes (TOTP): enrolment from the account page, the code after the password,
wrong codes, the setting that makes codes mandatory, and the audit of each."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from console.accounts import totp
from console.audit.models import AuditEvent, Kind
from tests.console.codes import code_after, code_at, current_step, key_from_secret
from tests.console.conftest import PASSWORD


def wrong_code(key):
    """Return a code that is not the device's for any step it would accept now."""
    near = {code_at(key, current_step() + offset) for offset in (-1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222", "333333", "444444") if code not in near)


def sign_in(client, username="dr_jones", password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


def enrol(client):
    """Set up codes through the account page; return the key and the step used."""
    client.post("/account/", {"action": "start"})
    page = client.get("/account/").content.decode()
    secret = re.search(r"<code class=\"secret\" data-secret>([A-Z2-7 ]+)</code>", page).group(1)
    key = key_from_secret(secret)
    code, step = code_after(key)
    response = client.post("/account/", {"action": "confirm", "code": code})
    assert response.status_code == 302
    return key, step


def test_the_account_page_shows_the_secret_as_text_and_the_setup_address(clinician_client):
    page = clinician_client.get("/account/").content.decode()
    assert "Sign-in codes</dt><dd>off" in page
    clinician_client.post("/account/", {"action": "start"})
    page = clinician_client.get("/account/").content.decode()
    assert re.search(r"data-secret>([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>", page)
    assert "otpauth://totp/BackCare%20console%3Adr_jones?secret=" in page
    assert "<img" not in page  # no QR image, no library for one


def test_enrolment_turns_codes_on_and_sign_in_then_asks_for_a_code(clinician_client, outbox):
    key, used = enrol(clinician_client)
    assert TOTPDevice.objects.filter(confirmed=True).count() == 1
    assert clinician_client.get("/cases/").status_code == 200  # this session gave the code
    clinician_client.post("/logout/")

    client = Client()
    response = sign_in(client)
    assert response.status_code == 302
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/login/code/?next=%2Fcases%2F"
    assert client.get("/audit/").status_code == 302  # every page waits for the code
    page = client.get("/login/code/?next=/cases/").content.decode()
    assert 'autocomplete="one-time-code"' in page

    code, _ = code_after(key, used)
    response = client.post("/login/code/", {"code": code, "next": "/cases/"})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", flat=True))
    assert Kind.CODES_SET_UP in kinds
    assert kinds.index(Kind.SIGN_IN) < kinds.index(Kind.CODE_ACCEPTED)


def test_a_wrong_or_reused_code_is_refused_and_audited(clinician_client, outbox):
    key, used = enrol(clinician_client)
    clinician_client.post("/logout/")
    client = Client()
    sign_in(client)
    response = client.post("/login/code/", {"code": wrong_code(key)})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    reused = client.post("/login/code/", {"code": code_at(key, used)})
    assert "did not match" in reused.content.decode()  # the enrolment's code works once
    assert client.get("/cases/").status_code == 302
    assert AuditEvent.objects.filter(kind=Kind.CODE_REFUSED, username="dr_jones").count() == 2


def test_after_a_wrong_code_even_the_right_one_waits(clinician, outbox, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 3600  # an hour's wait: no race with the clock
    device = TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    assert totp.check(device, wrong_code(device.bin_key)) is False
    right, _ = code_after(device.bin_key)
    device.refresh_from_db()
    assert totp.check(device, right) is False
    assert device.throttling_failure_count == 1
    assert totp.check(device, "12 34") is False  # malformed codes count as failures too


def test_a_user_without_codes_signs_in_with_the_password_alone(outbox, clinician):
    client = Client()
    sign_in(client)
    assert client.get("/cases/").status_code == 200


def test_when_codes_are_required_a_user_without_one_is_sent_to_set_them_up(
    outbox, clinician, settings
):
    settings.CONSOLE_REQUIRE_TOTP = True
    client = Client()
    sign_in(client)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/account/?next=%2Fcases%2F"
    page = client.get("/account/?next=/cases/").content.decode()
    assert "Sign-in codes are required" in page
    enrol(client)
    assert client.get("/cases/").status_code == 200


def test_the_code_page_sends_away_a_user_who_owes_no_code(clinician_client, outbox):
    response = clinician_client.get("/login/code/?next=/cases/")
    assert response.status_code == 302 and response["Location"] == "/cases/"


def test_the_code_page_never_sends_a_user_off_site(clinician_client, outbox):
    key, used = enrol(clinician_client)
    clinician_client.post("/logout/")
    client = Client()
    sign_in(client)
    code, _ = code_after(key, used)
    response = client.post("/login/code/", {"code": code, "next": "https://evil.example/"})
    assert response["Location"] == "/cases/"


@pytest.mark.parametrize("path", ["/static/console/console.css", "/health/"])
def test_static_files_and_health_need_no_code(clinician, path, outbox):
    TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    client = Client()
    sign_in(client)
    assert client.get(path).status_code == 200


def test_code_forms_need_csrf(clinician, outbox):
    TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(clinician, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post("/login/code/", {"code": "123456"}).status_code == 403
    assert client.post("/account/", {"action": "start"}).status_code in (302, 403)

"""Sign-in (/login/), sign-out, lockout, Argon2, CSRF and idle expiry."""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.test import Client

from console.accounts.middleware import LAST_ACTIVE
from console.audit.models import AuditEvent, Kind
from tests.console.conftest import PASSWORD


def sign_in(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_sign_in_page_has_labelled_fields_and_a_csrf_token(db):
    page = Client().get("/login/").content.decode()
    assert '<label for="id_username">User name</label>' in page
    assert '<label for="id_password">Password</label>' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "<h1" in page


def test_sign_in_then_out_is_audited(outbox, clinician):
    client = Client()
    response = sign_in(client, "dr_jones", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 302
    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", "username", "ip_address"))
    assert kinds[0] == (Kind.SIGN_IN, "dr_jones", "127.0.0.1")
    assert kinds[-1] == (Kind.SIGN_OUT, "dr_jones", "127.0.0.1")


def test_failed_sign_in_is_refused_and_audited(outbox, clinician):
    client = Client()
    response = sign_in(client, "dr_jones", "wrong-password")
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert client.get("/cases/").status_code == 302
    event = AuditEvent.objects.get(kind=Kind.SIGN_IN_FAILED)
    assert (event.username, event.user) == ("dr_jones", None)


def test_lockout_after_five_failures_even_with_the_right_password(outbox, clinician):
    client = Client()
    for _ in range(5):
        sign_in(client, "dr_jones", "wrong-password")
    response = sign_in(client, "dr_jones", PASSWORD)
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    assert client.get("/cases/").status_code == 302
    assert AuditEvent.objects.filter(kind=Kind.LOCKED_OUT, username="dr_jones").exists()


def test_four_failures_do_not_lock(outbox, clinician):
    client = Client()
    for _ in range(4):
        sign_in(client, "dr_jones", "wrong-password")
    assert sign_in(client, "dr_jones", PASSWORD).status_code == 302


def test_passwords_are_hashed_with_argon2(clinician):
    stored = get_user_model().objects.get(username="dr_jones").password
    assert stored.startswith("argon2$argon2id$")


def test_sign_in_without_csrf_token_is_refused(clinician):
    client = Client(enforce_csrf_checks=True)
    response = sign_in(client, "dr_jones", PASSWORD)
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(kind=Kind.SIGN_IN).exists()


def test_sign_out_without_csrf_token_is_refused(clinician):
    from tests.console.conftest import MODEL_BACKEND

    client = Client(enforce_csrf_checks=True)
    client.force_login(clinician, backend=MODEL_BACKEND)
    assert client.post("/logout/").status_code == 403


def test_idle_session_is_signed_out(outbox, clinician_client, settings):
    clinician_client.get("/cases/")
    session = clinician_client.session
    session[LAST_ACTIVE] = time.time() - settings.CONSOLE_IDLE_SECONDS - 5
    session.save()
    response = clinician_client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert AuditEvent.objects.filter(kind=Kind.SIGN_OUT, detail="idle").exists()


def test_automatic_refreshes_do_not_keep_a_session_alive(outbox, clinician_client):
    clinician_client.get("/cases/")
    before = clinician_client.session[LAST_ACTIVE]
    time.sleep(0.01)
    clinician_client.get("/cases/?show=open&auto=1")
    assert clinician_client.session[LAST_ACTIVE] == before
    clinician_client.get("/cases/")
    assert clinician_client.session[LAST_ACTIVE] > before


def test_secure_cookies_follow_the_https_setting(monkeypatch):
    import importlib

    import console.settings
    from bot.settings import get_settings

    monkeypatch.setenv("BACKCARE_CONSOLE_HTTPS", "1")
    get_settings.cache_clear()
    try:
        reloaded = importlib.reload(console.settings)
        assert reloaded.SESSION_COOKIE_SECURE is True
        assert reloaded.CSRF_COOKIE_SECURE is True
    finally:
        monkeypatch.delenv("BACKCARE_CONSOLE_HTTPS")
        get_settings.cache_clear()
        importlib.reload(console.settings)

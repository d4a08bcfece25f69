"""/users/ for admins: list with role, active and locked state; create; deactivate and
reactivate; reset a password; unlock; reset sign-in codes. CSRF on every post, every
change audited, clinicians refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from console.accounts.roles import role_of
from console.audit.models import AuditEvent, Kind
from tests.console.conftest import MODEL_BACKEND, PASSWORD

NEW_PASSWORD = "quiet-harbour-meadow-77"


def sign_in(client, username, password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


def audited(kind):
    return list(AuditEvent.objects.filter(kind=kind).values_list("username", "target", "detail"))


def lock_out(username):
    client = Client()
    for _ in range(5):
        sign_in(client, username, "wrong-password")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/users/"),
        ("get", "/users/new/"),
        ("post", "/users/new/"),
        ("get", "/users/{id}/"),
        ("post", "/users/{id}/change/"),
        ("post", "/users/{id}/password/"),
    ],
)
def test_clinicians_get_403_on_every_user_page(clinician, clinician_client, method, path):
    response = getattr(clinician_client, method)(path.format(id=clinician.pk), {"action": "unlock"})
    assert response.status_code == 403


def test_visitors_are_sent_to_sign_in(db):
    assert Client().get("/users/")["Location"].startswith("/login/?next=/users/")


def test_the_list_shows_role_active_and_locked_state(admin_client_, clinician, make_user):
    make_user("gone_gina").__class__.objects.filter(username="gone_gina").update(is_active=False)
    lock_out("dr_jones")
    page = admin_client_.get("/users/").content.decode()
    row = page[page.index('data-user="dr_jones"') :].split("</tr>")[0]
    assert "<td>clinician</td>" in row and "LOCKED" in row and "<td>active</td>" in row
    gina = page[page.index('data-user="gone_gina"') :].split("</tr>")[0]
    assert "deactivated" in gina
    admin = page[page.index('data-user="admin_ali"') :].split("</tr>")[0]
    assert "<td>admin</td>" in admin and "open" in admin
    assert audited(Kind.USERS_VIEW) == [("admin_ali", "", "")]


def test_an_admin_creates_a_user_who_can_then_sign_in(admin_client_, outbox):
    response = admin_client_.post(
        "/users/new/",
        {"username": "nurse_nia", "role": "clinician", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="nurse_nia")
    assert role_of(user) == "clinician"
    assert user.password.startswith("argon2")
    assert audited(Kind.USER_CREATED) == [("admin_ali", "user:nurse_nia", "clinician")]
    client = Client()
    assert sign_in(client, "nurse_nia", NEW_PASSWORD)["Location"] == "/cases/"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"password1": "short", "password2": "short"}, "too short"),
        ({"password1": "password123456", "password2": "password123456"}, "too common"),
        ({"password1": "839201746352", "password2": "839201746352"}, "entirely numeric"),
        ({"password1": "nurse_nia_nurse", "password2": "nurse_nia_nurse"}, "too similar"),
        ({"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}, "differ"),
        ({"role": "superuser"}, "valid choice"),
        ({"username": "admin_ali"}, "already exists"),
        ({"username": "two words"}, "letters, digits"),
    ],
)
def test_a_new_user_is_refused_with_the_reason(admin_client_, fields, reason):
    data = {"username": "nurse_nia", "role": "clinician", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    response = admin_client_.post("/users/new/", {**data, **fields})
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not get_user_model().objects.filter(username="nurse_nia").exists()
    assert audited(Kind.USER_CREATED) == []


def test_deactivate_ends_sign_in_and_sessions_then_reactivate(admin_client_, clinician, outbox):
    session = Client()
    session.force_login(clinician, backend=MODEL_BACKEND)
    assert session.get("/cases/").status_code == 200
    admin_client_.post(f"/users/{clinician.pk}/change/", {"action": "deactivate"})
    assert session.get("/cases/").status_code == 302  # the open session is over
    assert sign_in(Client(), "dr_jones").status_code == 200  # and sign-in is refused
    admin_client_.post(f"/users/{clinician.pk}/change/", {"action": "reactivate"})
    assert sign_in(Client(), "dr_jones")["Location"] == "/cases/"
    assert [row[1] for row in audited(Kind.USER_DEACTIVATED)] == ["user:dr_jones"]
    assert [row[1] for row in audited(Kind.USER_REACTIVATED)] == ["user:dr_jones"]


def test_an_admin_cannot_deactivate_themselves(admin_client_, admin_user):
    response = admin_client_.post(f"/users/{admin_user.pk}/change/", {"action": "deactivate"}, follow=True)
    assert "cannot deactivate your own account" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert audited(Kind.USER_DEACTIVATED) == []


def test_reset_password_validates_it_and_ends_old_sessions(admin_client_, clinician, outbox):
    session = Client()
    sign_in(session, "dr_jones")
    refused = admin_client_.post(f"/users/{clinician.pk}/password/", {"password1": "abc", "password2": "abc"})
    assert refused.status_code == 400 and "too short" in refused.content.decode()
    admin_client_.post(
        f"/users/{clinician.pk}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert session.get("/cases/").status_code == 302
    assert sign_in(Client(), "dr_jones").status_code == 200  # the old password is refused
    assert sign_in(Client(), "dr_jones", NEW_PASSWORD)["Location"] == "/cases/"
    assert audited(Kind.PASSWORD_RESET) == [("admin_ali", "user:dr_jones", "")]


def test_unlock_lets_a_locked_out_user_sign_in_again(admin_client_, clinician, outbox):
    lock_out("dr_jones")
    assert sign_in(Client(), "dr_jones").status_code == 429
    page = admin_client_.get(f"/users/{clinician.pk}/").content.decode()
    assert "LOCKED" in page and "Unlock sign-in" in page
    admin_client_.post(f"/users/{clinician.pk}/change/", {"action": "unlock"})
    assert sign_in(Client(), "dr_jones")["Location"] == "/cases/"
    [(who, target, detail)] = audited(Kind.USER_UNLOCKED)
    assert (who, target) == ("admin_ali", "user:dr_jones")
    assert detail.endswith("failed sign-in record(s) cleared")


def test_reset_codes_removes_the_user_s_device(admin_client_, clinician, outbox):
    TOTPDevice.objects.create(user=clinician, name="app", confirmed=True)
    client = Client()
    sign_in(client, "dr_jones")
    assert client.get("/cases/")["Location"].startswith("/login/code/")
    assert "Reset sign-in codes" in admin_client_.get(f"/users/{clinician.pk}/").content.decode()
    admin_client_.post(f"/users/{clinician.pk}/change/", {"action": "reset_codes"})
    assert not TOTPDevice.objects.filter(user=clinician).exists()
    assert client.get("/cases/").status_code == 200  # no code owed any more
    assert audited(Kind.CODES_RESET) == [("admin_ali", "user:dr_jones", "1 device(s) removed")]


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/users/new/", {"username": "x_y", "role": "admin", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}),
        ("/users/{id}/change/", {"action": "deactivate"}),
        ("/users/{id}/password/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}),
    ],
)
def test_every_user_change_needs_the_csrf_token(admin_user, clinician, path, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user, backend=MODEL_BACKEND)
    assert client.post(path.format(id=clinician.pk), data).status_code == 403
    clinician.refresh_from_db()
    assert clinician.is_active
    assert not get_user_model().objects.filter(username="x_y").exists()

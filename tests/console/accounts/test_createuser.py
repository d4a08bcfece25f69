"""``python -m console createuser NAME --role ...``: password from stdin or prompted twice."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.console.conftest import PASSWORD


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_createuser_reads_the_password_from_stdin(db):
    out = io.StringIO()
    call_command(
        "createuser", "nurse_kim", role="clinician", stdin=io.StringIO(PASSWORD + "\n"), stdout=out
    )
    user = get_user_model().objects.get(username="nurse_kim")
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["clinician"]
    assert user.password.startswith("argon2$")
    assert "created clinician 'nurse_kim'" in out.getvalue()


def test_createuser_makes_an_admin(db):
    call_command("createuser", "boss", role="admin", stdin=io.StringIO(PASSWORD))
    assert get_user_model().objects.get(username="boss").has_perm("audit.read_audit")


def test_createuser_refuses_a_weak_password(db):
    with pytest.raises(CommandError, match="password refused"):
        call_command("createuser", "nurse_kim", role="clinician", stdin=io.StringIO("password\n"))
    assert not get_user_model().objects.filter(username="nurse_kim").exists()


def test_createuser_refuses_an_existing_name(clinician):
    with pytest.raises(CommandError, match="already exists"):
        call_command("createuser", "dr_jones", role="clinician", stdin=io.StringIO(PASSWORD))


def test_createuser_refuses_an_unknown_role(db):
    with pytest.raises(CommandError):
        call_command("createuser", "x", role="superuser", stdin=io.StringIO(PASSWORD))


def test_createuser_at_a_terminal_asks_twice(db, monkeypatch):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="differ"):
        call_command("createuser", "nurse_kim", role="clinician", stdin=Tty())
    answers = iter([PASSWORD, PASSWORD])
    call_command("createuser", "nurse_kim", role="clinician", stdin=Tty())
    assert get_user_model().objects.get(username="nurse_kim").check_password(PASSWORD)

"""``python -m console erase``: counts without ``--yes``, erases and audits with it."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bot.settings import REPO_ROOT
from console.audit.models import AuditEvent, Kind
from console.cases.masking import pseudonym
from console.retention.erasure import count_conversation
from console.transcripts.index import conversation_key
from tests.console.retention.conftest import OLD

PHONE = "+447700900123"


def erase(*args: str) -> str:
    out = io.StringIO()
    call_command("erase", *args, stdout=out)
    return out.getvalue()


def test_without_yes_it_only_counts(seed):
    seed(PHONE, last=OLD, case="closed")
    before = count_conversation(PHONE)
    out = erase(pseudonym(PHONE))
    assert out.startswith("would remove (rerun with --yes): care_team_realert=1")
    assert "events=3" in out and PHONE not in out
    assert count_conversation(PHONE) == before
    assert not AuditEvent.objects.filter(kind=Kind.ERASURE).exists()


def test_with_yes_it_erases_and_audits_counts_only(seed):
    seeded = seed(PHONE, last=OLD, case="closed")
    out = erase(conversation_key(PHONE), "--yes")
    assert out.startswith("erasure E-")
    assert not any(count_conversation(PHONE).values())
    audit = AuditEvent.objects.get(kind=Kind.ERASURE)
    assert audit.user is None and audit.username.startswith("command line")
    assert audit.target == "erasure:" + out.split()[1].rstrip(":")
    row = " ".join(str(getattr(audit, field.attname)) for field in audit._meta.fields)
    for personal in (PHONE, "00900123", seeded.message, pseudonym(PHONE)):
        assert personal not in row


def test_open_cases_need_the_flag(seed):
    seed(PHONE, case="new")
    with pytest.raises(CommandError, match="--include-open-cases"):
        erase(PHONE, "--yes")
    assert any(count_conversation(PHONE).values())
    assert not AuditEvent.objects.filter(kind=Kind.ERASURE).exists()
    erase(PHONE, "--yes", "--include-open-cases")
    assert not any(count_conversation(PHONE).values())


def test_a_held_conversation_is_refused(seed, admin_user):
    from console.retention.models import LegalHold

    seed(PHONE, case="closed")
    LegalHold.objects.create(sender_id=PHONE, by=admin_user)
    with pytest.raises(CommandError, match="legal hold"):
        erase(PHONE, "--yes", "--include-open-cases")
    assert any(count_conversation(PHONE).values())


def test_an_unknown_conversation_is_refused(stores):
    with pytest.raises(CommandError, match="no conversation"):
        erase("P-0123456789abcdef", "--yes")
    with pytest.raises(CommandError, match="no conversation"):
        erase("+440000000000", "--yes")


@pytest.mark.parametrize("command", ["purge", "erase"])
def test_the_commands_are_listed_by_python_m_console(command, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "console", "help", command],
        cwd=REPO_ROOT,
        env={"BACKCARE_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"python -m console {command}" in result.stdout

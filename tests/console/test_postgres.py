"""The case, transcript, retention and review tests once more on PostgreSQL, in a child pytest run.

Django's test database is fixed when Django starts, so the PostgreSQL run is a separate
``pytest tests/console/cases tests/console/transcripts tests/console/retention
tests/console/review`` (browser
tests left out; the retention tests check that erasure and purge leave no row behind) with ``BACKCARE_DATABASE_URL`` naming a throwaway
database on the machine's server; pytest-django creates and drops ``test_<name>``.
Skipped, with the reason, when PostgreSQL is not there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy.engine import make_url

from bot.settings import REPO_ROOT

pytestmark = pytest.mark.postgres


def test_case_tests_pass_on_postgresql(postgres_url, tmp_path):
    database = f"backcare_console_{uuid.uuid4().hex[:10]}"
    url = make_url(postgres_url).set(database=database)
    env = {
        **os.environ,
        "BACKCARE_DATABASE_URL": url.render_as_string(hide_password=False),
        "BACKCARE_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/console/cases",
            "tests/console/transcripts",
            "tests/console/retention",
            "tests/console/review",
            "-m",
            "not browser",
            "-q",
            "-p",
            "no:cacheprovider",
            "--create-db",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout
    # test_the_tests_run_on_the_database_the_url_names checked the vendor in the child.

"""Headless Chromium for the browser tests: Debian's binary, driven by Playwright.

``with chromium() as browser:`` gives a launched browser for a test module's fixture;
``chromium_path()`` returns the binary, installing it with ``scripts/install_chromium.sh``
if it is missing, and skips the calling test with the reason when that is impossible.
Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "var" / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str:
    if not CHROMIUM.exists():
        script = REPO_ROOT / "scripts" / "install_chromium.sh"
        result = subprocess.run(
            ["bash", str(script)], capture_output=True, text=True, timeout=900, check=False
        )
        if result.returncode != 0 or not CHROMIUM.exists():
            pytest.skip(
                f"{CHROMIUM} is missing and scripts/install_chromium.sh could not install it: "
                + (result.stderr.strip().splitlines() or ["no output"])[-1]
            )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("the playwright Python package is not installed")
    return str(CHROMIUM)


def launch(playwright):  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(
        executable_path=chromium_path(), args=CHROMIUM_ARGS, env={**os.environ}
    )


@contextlib.contextmanager
def chromium():  # type: ignore[no-untyped-def]
    """Launch headless Chromium under Playwright; close it when the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()

#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (pytest -m browser), if it is missing.
# Idempotent: does nothing when /usr/bin/chromium exists. Playwright drives this binary
# through executable_path; Playwright's own browser downloads are never used.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  echo "chromium: already installed at $CHROMIUM"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "chromium: not installed, and installing it needs root (apt-get install chromium)" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
test -x "$CHROMIUM"
echo "chromium: installed at $CHROMIUM"

#!/usr/bin/env bash
# Install Debian's HAProxy, the load balancer of the scaled-out profile (BACKCARE_RASA_SERVERS>1),
# if it is missing. Idempotent: does nothing when haproxy is on the PATH. The launcher only
# runs it (with a config it writes to var/); the system service is never enabled or started.
set -euo pipefail

if command -v haproxy >/dev/null 2>&1; then
  echo "haproxy: already installed at $(command -v haproxy)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "haproxy: not installed, and installing it needs root (apt-get install haproxy)" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# The package's post-install script would start the system service; policy-rc.d stops that.
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod +x "$POLICY"
  trap '$SUDO rm -f "$POLICY"' EXIT
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends haproxy
command -v haproxy >/dev/null
echo "haproxy: installed at $(command -v haproxy)"

#!/usr/bin/env bash
# Idempotent: make the real `pre-commit` tool available for test/precommit.test.ts.
# Debian's package first (what the issue asks for); pip as a fallback where apt is unavailable.
set -euo pipefail
if command -v pre-commit >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
if command -v apt-get >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends pre-commit
elif command -v pip3 >/dev/null 2>&1; then
  pip3 install --user 'pre-commit>=3,<5'
else
  echo "install-precommit: neither apt-get nor pip3 is available; install pre-commit by hand" >&2
  exit 1
fi
command -v pre-commit >/dev/null 2>&1 || { echo "install-precommit: pre-commit still not on PATH" >&2; exit 1; }

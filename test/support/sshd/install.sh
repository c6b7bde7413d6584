#!/usr/bin/env bash
# Install OpenSSH's sshd for the probe tests when it is missing (Debian/Ubuntu, as root). Idempotent, quiet.
set -euo pipefail
if [ -x /usr/sbin/sshd ] || command -v sshd >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "sshd missing and cannot be installed here (need root + apt-get); the real-sshd probe tests will be SKIPPED" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null

#!/usr/bin/env bash
# Installs the system tools the test suite uses, when they are missing: OpenSSH's sshd (live SSH
# probe tests) and pre-commit (the hook's end-to-end test). Runs before `npm test` (npm's pretest).
# It installs only as root through apt (as on CI); elsewhere it says what is missing and goes on.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/sshd/install.sh" || echo "test tools: could not install sshd; the real-sshd probe tests will be skipped" >&2
if ! command -v pre-commit >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    bash "$here/install-precommit.sh" || echo "test tools: could not install pre-commit; test/precommit.test.ts will fail" >&2
  else
    echo "test tools: pre-commit is missing; run test/support/install-precommit.sh (needs apt or pip)" >&2
  fi
fi
exit 0

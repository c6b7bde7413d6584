#!/usr/bin/env bash
# Installs the tools the test suite uses, when they are missing: OpenSSH's sshd (live SSH probe
# tests), pre-commit (the hook's end-to-end test) and the verdaccio npm registry the install tests
# publish to (test/support/registry/, pinned by its own lockfile, apart from the product's
# dependencies). Runs before `npm test` (npm's pretest).
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
# verdaccio: npm ci of its own small project, skipped when the installed tree matches the lockfile.
registry="$here/registry"
if ! cmp -s "$registry/package-lock.json" "$registry/node_modules/.installed-lock.json" 2>/dev/null \
  || [ ! -e "$registry/node_modules/verdaccio/bin/verdaccio" ]; then
  (cd "$registry" && env -u npm_config_prefix -u npm_config_global npm ci --no-audit --no-fund --loglevel=error \
    && cp package-lock.json node_modules/.installed-lock.json) \
    || echo "test tools: could not install verdaccio; test/distribution.test.ts and test/precommit.test.ts will fail" >&2
fi
exit 0

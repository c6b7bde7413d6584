#!/usr/bin/env node
// The `spine-lint` command of a git install of this repository: the pre-commit hooks
// (.pre-commit-hooks.yaml) and `npm install -g git+https://…#vX.Y.Z`. The repository's root package
// builds nothing at install time (npm gives a git dependency's `prepare` no devDependencies under
// `-g`, so a TypeScript build there fails: npm/cli#8440); it depends on the published `spine-lint`
// package of the same version, as pre-commit's mirrors-* repositories do, and runs its binary.
'use strict';
require('spine-lint/bin');

#!/usr/bin/env node
'use strict';
// ledger-witness: runs the compiled witness CLI (dist/libs/witness/src/cli.js), building the repo
// first (`npm run --silent build`) when that file is missing. Exit status: 0 ok, 2 usage or I/O.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'libs', 'witness', 'src', 'cli.js');

if (!fs.existsSync(CLI)) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (!fs.existsSync(CLI)) {
    process.stderr.write(`ledger-witness: could not build the witness:\n${build.stdout ?? ''}${build.stderr ?? ''}`);
    process.exit(2);
  }
}

require(path.join(ROOT, 'scripts', 'register-paths.js'));
require(CLI)
  .runWitnessCli(process.argv.slice(2))
  .then(
    (status) => process.exit(status),
    (err) => {
      process.stderr.write(`ledger-witness: ${err?.message ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );

#!/usr/bin/env node
'use strict';
// ledger-verify: runs the compiled verifier CLI (dist/libs/verifier/src/cli.js). When that code is
// missing or older than its TypeScript sources (the verifier and ledger-core), builds the repo
// first with `npm run --silent build`. Exit status: 0 verified, 1 the log disagrees, 2 usage or I/O.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const SOURCE_DIRS = ['libs/verifier/src', 'libs/ledger-core/src'];
const CLI = path.join(ROOT, 'dist', 'libs', 'verifier', 'src', 'cli.js');

function sourceFiles(dir) {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const relative = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(relative);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') && !d.name.endsWith('.d.ts') ? [relative] : [];
  });
}

/** The first source whose compiled file is missing or older, or null when dist is up to date. */
function staleSource() {
  for (const source of SOURCE_DIRS.flatMap(sourceFiles)) {
    const compiled = path.join(ROOT, 'dist', source.replace(/\.ts$/, '.js'));
    let compiledAt;
    try {
      compiledAt = fs.statSync(compiled).mtimeMs;
    } catch {
      return source;
    }
    if (compiledAt < fs.statSync(path.join(ROOT, source)).mtimeMs) return source;
  }
  return null;
}

if (staleSource() !== null) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  // tsc emits even when other parts of the repo have type errors, so only our own output matters.
  if (!fs.existsSync(CLI)) {
    process.stderr.write(`ledger-verify: could not build the verifier:\n${build.stdout ?? ''}${build.stderr ?? ''}${build.error ? `${build.error.message}\n` : ''}`);
    process.exit(2);
  }
  const stillStale = staleSource();
  if (stillStale !== null) process.stderr.write(`ledger-verify: warning: ${stillStale} changed during the build; running the code just built\n`);
}

// A reader that stops early (`ledger-verify --help | head`) is not an error.
process.stdout.on('error', (err) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 0);
});

require(path.join(ROOT, 'scripts', 'register-paths.js'));
require(CLI)
  .runCli(process.argv.slice(2))
  .then(
    (status) => process.exit(status),
    (err) => {
      process.stderr.write(`ledger-verify: ${err && err.stack ? err.stack : String(err)}\n`);
      process.exit(2);
    },
  );

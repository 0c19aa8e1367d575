import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { version } from '../../../package.json';
import { buildTestCase, withOneByteChanged } from './testing/case-fixture';
import { buildTestLog, toBundle } from './testing/log-fixture';

// The packed verifier as someone outside the project gets it (issue #17): `npm run pack:verifier`
// makes the tarball, which is copied to an empty folder and run with `npx ./<tarball>`, with a fresh
// npm cache and home, npm offline (nothing may be fetched), and a PATH holding only Node.js, npm
// and a shell: no repository, no build, no node_modules.

const ROOT = join(__dirname, '..', '..', '..');
let dir: string;
let tarball: string;

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const home = join(dir, 'home');
  const result = spawnSync('npx', ['--yes', `./${tarball}`, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: join(dir, 'bin'), HOME: home, npm_config_cache: join(home, 'npm-cache'), npm_config_offline: 'true' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'packed-verifier-'));
  const packed = execFileSync(process.execPath, [join(ROOT, 'scripts', 'pack-verifier.js')], { cwd: ROOT, encoding: 'utf8' }).trim();
  tarball = basename(packed);
  copyFileSync(packed, join(dir, tarball));
  mkdirSync(join(dir, 'bin'));
  for (const tool of ['node', 'npm', 'npx', 'sh']) {
    const found = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    symlinkSync(found, join(dir, 'bin', tool));
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ledger-verify packed as a tarball (npx ./ai-accountability-ledger-verify-*.tgz)', () => {
  it('given only Node.js, when asked for --version, then it prints the release it was packed from', () => {
    const { status, stdout } = run('--version');
    expect(status).toBe(0);
    expect(stdout.trim()).toBe(version);
    expect(tarball).toBe(`ai-accountability-ledger-verify-${version}.tgz`);
  });

  it('given an exported log, when verified with the pinned key, then it exits 0; one byte changed, it exits 1 naming the seq', () => {
    const log = buildTestLog(30, [10, 30]);
    writeFileSync(join(dir, 'log.json'), JSON.stringify(toBundle(log)));
    const verified = run('--bundle', 'log.json', '--key', log.verifierKey, '--no-progress');
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/30 entries/);

    const tampered = log.entries.map((e) => {
      if (e.seq !== 7) return e;
      const value = Buffer.from(e.value, 'base64');
      value[10] = value[10]! ^ 0x01;
      return { ...e, value: value.toString('base64') };
    });
    writeFileSync(join(dir, 'tampered-log.json'), JSON.stringify(toBundle({ ...log, entries: tampered })));
    const refused = run('--bundle', 'tampered-log.json', '--key', log.verifierKey, '--state', 'other.json');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/FAILED at seq 7 \(entry-tampered\)/);
  });

  it('given a case export, when verified, then its answers are recomputed from the proven entries; a changed entry is refused', () => {
    const testCase = buildTestCase();
    writeFileSync(join(dir, 'case.json'), JSON.stringify(testCase.bundle));
    writeFileSync(join(dir, 'tampered-case.json'), withOneByteChanged(testCase.bundle, 13, 'value'));
    const verified = run('--bundle', 'case.json', '--key', testCase.verifierKey);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/1 output answers recomputed from them agree/);
    expect(run('--bundle', 'tampered-case.json', '--key', testCase.verifierKey).status).toBe(1);
  });
});

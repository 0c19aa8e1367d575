import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, runCli, type CliIo } from './cli';
import { buildTestCase, withOneByteChanged } from './testing/case-fixture';
import { testSigner } from './testing/log-fixture';

// `ledger-verify --bundle case.json` in process (runCli with captured output): the command a
// reader of an exported case runs.

const testCase = buildTestCase();
let dir: string;

async function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd: dir,
    now: () => new Date('2026-11-02T11:00:00Z'),
    clock: () => 0,
  };
  const status = await runCli(args, io);
  return { status, stdout, stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-verify-case-'));
  writeFileSync(join(dir, 'case.json'), JSON.stringify(testCase.bundle));
  writeFileSync(join(dir, 'tampered.json'), withOneByteChanged(testCase.bundle, 13, 'value'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ledger-verify --bundle <case bundle>', () => {
  it('given an honest case bundle and the pinned key, when run, then it exits 0 with one summary line and keeps no trust state', async () => {
    const { status, stdout } = await cli('--bundle', 'case.json', '--key', testCase.verifierKey);
    expect(status).toBe(EXIT.verified);
    expect(stdout).toBe(
      `verified case ${testCase.bundle.case.caseId} of ${testCase.origin}: 5 entries proven in the checkpoint of size 24, root ${testCase.bundle.checkpoint.rootHash}; 2 evidence citations resolve to verified entries; 1 output answers recomputed from them agree; the report re-rendered from them is the one the bundle carries\n`,
    );
    expect(existsSync(join(dir, '.ledger-verify'))).toBe(false);
  });

  it('given the bundle with one byte changed, when run, then it exits 1 naming the first bad entry', async () => {
    const { status, stderr } = await cli('--bundle', 'tampered.json', '--key', testCase.verifierKey);
    expect(status).toBe(EXIT.problem);
    expect(stderr).toMatch(/^ledger-verify: FAILED at seq 13 \(entry-(tampered|malformed)\): /);
    expect(stderr).toMatch(/\nevidence: \{/);
  });

  it('given another key pinned, when run, then it exits 1 on the checkpoint signature', async () => {
    const { status, stderr } = await cli('--bundle', 'case.json', '--key', testSigner(testCase.origin).verifierKey);
    expect(status).toBe(EXIT.problem);
    expect(stderr).toContain('(checkpoint-bad-signature)');
  });

  it('given --json, when run, then the result is printed as JSON', async () => {
    const { status, stdout } = await cli('--bundle', 'case.json', '--key', testCase.verifierKey, '--json');
    expect(status).toBe(EXIT.verified);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: true,
      caseId: testCase.bundle.case.caseId,
      entries: 5,
      citations: 2,
      caseOpenedSeq: 9,
      recomputedAnswers: 1,
    });
  });

  it('given --trust-server-key, when run, then it verifies with the announced key and warns', async () => {
    const { status, stderr } = await cli('--bundle', 'case.json', '--trust-server-key');
    expect(status).toBe(EXIT.verified);
    expect(stderr).toContain('warning: --trust-server-key');
  });
});

import { verifierKeyString } from '@aal/ledger-core';
import { outputChainEvents, outputChainIds, testCheckpointSettings, testEventKeysDocument } from '@aal/testing';
import { LOG_EXPORT_FORMAT, runCli } from '@aal/verifier';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturedIo } from '../testing/captured-io';
import { TestLedger } from '../testing/test-ledger';
import { EXIT, runLedgerCli } from './ledger-cli';

/**
 * `ledger export` against a real ledger database fed through Kafka: the file it writes verifies
 * with `ledger-verify --bundle` (the checkpoint key pinned, every event signature re-checked), an
 * export up to an earlier size verifies too, and a changed byte in the file is refused.
 */
describe('ledger export', () => {
  const origin = 'export.test/aal-ledger';
  const checkpoints = testCheckpointSettings(origin);
  const verifierKey = verifierKeyString(checkpoints.settings.signer.name, checkpoints.settings.signer.publicKey);
  const events = outputChainEvents(outputChainIds(`out-export-${randomUUID().slice(0, 8)}`), Date.now() - 10 * 60_000);
  let ledger: TestLedger;
  let dir: string;

  const exportCli = async (...argv: string[]) => {
    const { io, stdout, stderr } = capturedIo(dir);
    const { db } = ledger;
    const env = {
      DATABASE_URL: db.adminUrl,
      DATABASE_APP_PASSWORD: db.settings.appPassword,
      LEDGER_ORIGIN: origin,
      LEDGER_SIGNING_KEY: checkpoints.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    const status = await runLedgerCli(['export', ...argv], { ...io, env });
    return { status, stdout: stdout(), stderr: stderr() };
  };
  const verify = async (file: string, ...args: string[]) => {
    const { io, stdout, stderr } = capturedIo(dir);
    const status = await runCli(['--bundle', file, '--key', verifierKey, '--json', '--no-progress', ...args], io);
    return { status, result: JSON.parse(stdout()) as Record<string, any>, stderr: stderr() };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-export-'));
    ledger = await TestLedger.start('ledger-export', { checkpoints: checkpoints.settings });
    await ledger.publish(events);
    await ledger.checkpoint((size) => size >= events.length, 'a checkpoint over every event');
  });

  afterAll(async () => {
    await ledger?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a ledger with entries and checkpoints, when exported, then the file verifies with the pinned key and every event signature', async () => {
    const file = join(dir, 'log.ndjson');
    const exported = await exportCli('--out', file);
    expect(exported).toMatchObject({ status: EXIT.ok, stderr: '' });
    expect(exported.stdout).toMatch(
      new RegExp(`^exported ${events.length} entries and \\d+ checkpoints \\(latest tree size ${events.length}\\) to `),
    );
    expect(existsSync(`${file}.partial`)).toBe(false);
    const [header] = readFileSync(file, 'utf8').split('\n');
    expect(JSON.parse(header!)).toMatchObject({ format: LOG_EXPORT_FORMAT, origin, verifierKey, entries: events.length });

    const keysFile = join(dir, 'event-keys.json');
    writeFileSync(keysFile, JSON.stringify(testEventKeysDocument()));
    const verified = await verify(file, '--event-keys', keysFile, '--state', 'state.json');
    expect({ status: verified.status, stderr: verified.stderr }).toMatchObject({ status: 0 });
    expect(verified.result).toMatchObject({
      ok: true,
      origin,
      entries: events.length,
      emittersChecked: true,
      latest: { treeSize: events.length },
    });
  });

  it('given --to an earlier size, when exported, then the file holds that many entries and verifies', async () => {
    const file = join(dir, 'first.ndjson');
    expect((await exportCli('--out', file, '--to', '3')).status).toBe(EXIT.ok);
    const verified = await verify(file, '--state', 'first-state.json');
    expect(verified.status).toBe(0);
    expect(verified.result).toMatchObject({ ok: true, entries: 3 });
  });

  it('given a byte of an exported entry changed, when verified, then it is refused naming the entry', async () => {
    const file = join(dir, 'log.ndjson');
    const tampered = join(dir, 'tampered.ndjson');
    writeFileSync(
      tampered,
      readFileSync(file, 'utf8').replace(
        /("seq":2,"topic":"[^"]*","v":"aal-entry-v1","value":")(.)/,
        (_m, head: string, c: string) => `${head}${c === 'e' ? 'f' : 'e'}`,
      ),
    );
    const verified = await verify(tampered, '--state', 'tampered-state.json');
    expect(verified.status).toBe(1);
    expect(verified.result['problem']).toMatchObject({ kind: 'entry-tampered', seq: 2 });
  });

  it('given a bad --to, when run, then it is a usage error', async () => {
    expect((await exportCli('--out', join(dir, 'x.ndjson'), '--to', 'all')).status).toBe(EXIT.usage);
  });
});

import { readTopicToEnd, topicsFor } from '@aal/kafka';
import { eventSigningKey, parseEventKeySet, publicEventJwk, type EventSigningKey } from '@aal/ledger-core';
import { asKafkaMessage, eventually, testEventKeysDocument, tokenFor } from '@aal/testing';
import { runCli } from '@aal/verifier';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturedIo } from '../testing/captured-io';
import { registeredModel } from '../testing/events';
import { TestLedger } from '../testing/test-ledger';
import { runLedgerCli } from './ledger-cli';

/**
 * The operator's runbook for a producer that rotated its event key before the ledger was told
 * (docs/operations.md, "Dead letters: triage and re-drive"): the new key's events are refused to the
 * dead-letter topic; `ledger dead-letters` shows why; once the key is added to the ledger's
 * EVENT_KEYS_FILE, `ledger redrive` publishes them again unchanged and they are recorded exactly
 * once, however often re-driven, while a re-driven event that is still wrong is refused again.
 */
describe('dead letters: triage, event key rotation and re-drive', () => {
  let ledger: TestLedger;
  let dir: string;
  const rotated: EventSigningKey = eventSigningKey(generateKeyPairSync('ed25519').privateKey);
  const rotatedKeys = () => {
    const document = testEventKeysDocument();
    return {
      ...document,
      'model-registry': { keys: [...document['model-registry'].keys, publicEventJwk(rotated.privateKey)] },
    };
  };

  const cli = async (...argv: string[]) => {
    const { io, stdout, stderr } = capturedIo(dir);
    const env = { ...process.env, KAFKA_TOPIC_PREFIX: ledger.settings.topicPrefix };
    const status = await runLedgerCli(argv, { stdout: io.stdout, stderr: io.stderr, env });
    return { status, stdout: stdout(), stderr: stderr() };
  };
  const entriesOf = async (eventId: string) =>
    ledger.asAdmin(async (c) =>
      Number((await c.query('SELECT count(*) AS n FROM ledger.entries WHERE event_id = $1', [eventId])).rows[0].n),
    );
  const deadLetterCount = async () => (await readTopicToEnd(ledger.kafka, topicsFor(ledger.settings).deadLetter)).length;
  const duplicates = async () => {
    const metrics = await fetch(`${ledger.baseUrl}/metrics`).then((r) => r.text());
    return Number(/^ledger_duplicates_total(?:\{[^}]*\})? (\d+)$/m.exec(metrics)?.[1] ?? 0);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aal-dead-letters-'));
    ledger = await TestLedger.start('dead-letter-redrive');
  });

  afterAll(async () => {
    await ledger?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the refused events with their reasons, and re-drives them once the rotated key is trusted', async () => {
    const before = registeredModel('Signed with the key the ledger knows');
    const [first, second] = [registeredModel('Signed with the rotated key'), registeredModel('Also rotated')];
    const unsigned = registeredModel('Never signed');
    const prefix = ledger.settings.topicPrefix;
    await ledger.publisher.publish([
      asKafkaMessage(before, prefix),
      asKafkaMessage(first, prefix, { signingKey: rotated }),
      asKafkaMessage(second, prefix, { signingKey: rotated }),
      asKafkaMessage(unsigned, prefix, { signingKey: null }),
    ]);
    await eventually(deadLetterCount, (n) => n === 3, 30000, 'three dead letters');
    expect(await entriesOf(before.id)).toBe(1);

    // Triage: every dead letter, then those of one code as JSON.
    const listed = await cli('dead-letters');
    expect(listed.status).toBe(0);
    expect(listed.stdout.trim().split('\n')).toHaveLength(3);
    expect(listed.stderr).toBe('3 dead letter(s)\n');
    const signature = await cli('dead-letters', '--code', 'EVENT.SIGNATURE_INVALID', '--json');
    const letters = signature.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { at: string; reason: string; original: { topic: string }; event: { id: string } });
    expect(letters.map((l) => l.event.id).sort()).toEqual([first.id, second.id].sort());
    expect(letters[0]!.original.topic).toBe(topicsFor(ledger.settings).events['model-registry']);
    expect(letters[0]!.reason).toContain(rotated.kid);
    const unsignedAt = JSON.parse((await cli('dead-letters', '--code', 'EVENT.UNSIGNED', '--json')).stdout).at as string;

    // A re-drive needs a selection; a dry run publishes nothing.
    expect(await cli('redrive')).toMatchObject({ status: 2, stderr: expect.stringContaining('say which dead letters') });
    expect(await cli('redrive', '--offset', '0:999999')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('no dead letter at 0:999999'),
    });
    const dry = await cli('redrive', '--code', 'EVENT.SIGNATURE_INVALID', '--dry-run');
    expect(dry.stdout.match(/^would re-drive /gm)).toHaveLength(2);

    // Re-driven before the key is trusted, they are refused again, for the same reason.
    expect((await cli('redrive', '--code', 'EVENT.SIGNATURE_INVALID')).status).toBe(0);
    await eventually(deadLetterCount, (n) => n === 5, 30000, 'the two re-driven events refused again');
    expect(await entriesOf(first.id)).toBe(0);

    // The operator adds the producer's new key (keeping the old: entries signed with it stay verifiable).
    await ledger.restart(undefined, { eventKeys: parseEventKeySet(rotatedKeys()) });
    const after = registeredModel('Signed with the old key after the rotation');
    await ledger.publish([after]);
    expect((await cli('redrive', '--offset', letters[0]!.at, '--offset', letters[1]!.at)).status).toBe(0);
    await eventually(
      async () => [await entriesOf(first.id), await entriesOf(second.id), await entriesOf(after.id)],
      (counts) => counts.every((n) => n === 1),
      30000,
      'the re-driven events and the old-key event recorded',
    );

    // Re-driving again (every signature dead letter: the first two and their refused re-drives) records nothing new.
    const duplicatesBefore = await duplicates();
    expect((await cli('redrive', '--code', 'EVENT.SIGNATURE_INVALID')).stderr).toContain('4 dead letter(s) re-driven, 0 refused');
    await eventually(duplicates, (n) => n === duplicatesBefore + 4, 30000, 'four duplicates counted');
    expect([await entriesOf(first.id), await entriesOf(second.id)]).toEqual([1, 1]);

    // A re-drive is checked like any event: the unsigned one is refused again.
    expect((await cli('redrive', '--offset', unsignedAt)).status).toBe(0);
    await eventually(deadLetterCount, (n) => n === 6, 30000, 'the unsigned event refused again');
    expect(await entriesOf(unsigned.id)).toBe(0);

    // An independent verifier with the rotated key set re-checks who emitted every entry.
    const keysFile = join(dir, 'event-keys.json');
    writeFileSync(keysFile, JSON.stringify(rotatedKeys()));
    const token = await tokenFor(
      { organisationId: 'regulator', personId: 'psn_auditor07', role: 'auditor' },
      { roles: ['auditor'], grants: ['all-organisations'] },
    );
    const verify = capturedIo(dir);
    const status = await runCli(
      ['--url', ledger.baseUrl, '--trust-server-key', '--token', token, '--event-keys', keysFile, '--no-progress'],
      verify.io,
    );
    expect({ status, stderr: verify.stderr() }).toMatchObject({ status: 0 });
    expect(verify.stdout()).toMatch(/^verified .*: 4 entries/);
  });
});

import { SERVICE_NAMES, type ProducerName } from '@aal/contracts';
import { ed25519Signer, eventSigningKey, parseEventKeySet, publicEventJwk, type EventKeySet, type EventSigningKey } from '@aal/ledger-core';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Checkpoint settings with a fresh Ed25519 key, for tests; returns the key pair too. */
export function testCheckpointSettings(
  origin = 'test.local/aal-ledger',
  overrides: { minIntervalMs?: number; idleIntervalMs?: number } = {},
) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    settings: {
      origin,
      signer: ed25519Signer(origin, privateKey),
      minIntervalMs: overrides.minIntervalMs ?? 100,
      idleIntervalMs: overrides.idleIntervalMs ?? 1000,
    },
    privateKey,
    publicKey,
  };
}

/** The services whose events the ledger accepts (itself included: case events); each gets its own test event signing key. */
export const TEST_PRODUCERS: readonly ProducerName[] = SERVICE_NAMES;
export type TestProducer = ProducerName;

interface TestEventKeys {
  readonly signing: Record<TestProducer, EventSigningKey>;
  readonly document: Record<TestProducer, { keys: ReturnType<typeof publicEventJwk>[] }>;
  readonly keySet: EventKeySet;
}

let eventKeys: TestEventKeys | null = null;
let eventKeyFiles: { readonly dir: string; readonly keySetFile: string; readonly signingKeyFile: Record<TestProducer, string> } | null =
  null;

/** One Ed25519 event signing key per producer, made once per test process. */
function testEventKeys(): TestEventKeys {
  if (eventKeys) return eventKeys;
  const signing = Object.fromEntries(TEST_PRODUCERS.map((p) => [p, eventSigningKey(generateKeyPairSync('ed25519').privateKey)])) as Record<
    TestProducer,
    EventSigningKey
  >;
  const document = Object.fromEntries(
    TEST_PRODUCERS.map((p) => [p, { keys: [publicEventJwk(signing[p].privateKey)] }]),
  ) as TestEventKeys['document'];
  eventKeys = { signing, document, keySet: parseEventKeySet(document) };
  return eventKeys;
}

/** The test event signing key of `producer` (what its service signs with in tests). */
export function testEventSigningKey(producer: TestProducer): EventSigningKey {
  return testEventKeys().signing[producer];
}

/**
 * A forger's signing key that claims to be `producer`'s: a fresh Ed25519 key whose signatures name
 * the real key id of `producer`'s test key, as someone with write access to Kafka but without the
 * producer's private key would sign.
 */
export function forgerUnderKidOf(producer: TestProducer): EventSigningKey {
  const { kid } = testEventSigningKey(producer);
  const forged = eventSigningKey(generateKeyPairSync('ed25519').privateKey);
  return { ...forged, kid, encodedProtectedHeader: Buffer.from(JSON.stringify({ alg: 'EdDSA', kid }), 'utf8').toString('base64url') };
}

/** The key set a test ledger trusts: every producer's test key. */
export function testEventKeySet(): EventKeySet {
  return testEventKeys().keySet;
}

/** The key set as an EVENT_KEYS_FILE document, to extend (a forger's key) or write out. */
export function testEventKeysDocument(): TestEventKeys['document'] {
  return testEventKeys().document;
}

/**
 * The test keys as files, for services run as processes (`spawnService`): EVENT_KEYS_FILE and
 * each producer's EVENT_SIGNING_KEY_FILE, written once per test process into a temporary folder.
 */
export function testEventKeyFiles(): { readonly keySetFile: string; readonly signingKeyFile: Record<TestProducer, string> } {
  if (eventKeyFiles) return eventKeyFiles;
  const keys = testEventKeys();
  const dir = mkdtempSync(join(tmpdir(), 'aal-event-keys-'));
  const keySetFile = join(dir, 'event-keys.json');
  writeFileSync(keySetFile, JSON.stringify(keys.document, null, 2));
  const signingKeyFile = Object.fromEntries(
    TEST_PRODUCERS.map((p) => {
      const file = join(dir, `${p}-event-signing-key.pem`);
      writeFileSync(file, keys.signing[p].privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      return [p, file];
    }),
  ) as Record<TestProducer, string>;
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  eventKeyFiles = { dir, keySetFile, signingKeyFile };
  return eventKeyFiles;
}

/** The event key settings of a test ledger: it trusts every test producer's key (the ledger's own included). */
export function testLedgerEventKeys(): { readonly eventKeys: EventKeySet } {
  return { eventKeys: testEventKeySet() };
}

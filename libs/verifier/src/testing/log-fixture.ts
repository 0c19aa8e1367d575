import { decodeFact, type Fact } from '@aal/accountability';
import { subjectOf, toBinaryMessage, type CloudEvent } from '@aal/contracts';
import {
  buildInclusionProof,
  ed25519Signer,
  entryLeafHash,
  GENESIS_CHAIN_HASH,
  MerkleAccumulator,
  nextChainHash,
  nodeKey,
  parseVerifierKey,
  signCheckpoint,
  verifierKeyString,
  type NoteSigner,
} from '@aal/ledger-core';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, rmSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { logExportCheckpointLine, logExportEndLine, logExportEntryLine, logExportHeaderLine } from '../log-export-format';
import type { VerifierKey } from '../log-verifier';
import { BUNDLE_FORMAT, type CaseBundle, type LedgerBundle, type WireCheckpoint, type WireEntry } from '../wire-format';

// Test data: logs built the way an honest ledger builds them (gapless seqs from 0, every hash
// computed from the raw entry, checkpoints signed over the RFC 9162 root), and the tools an
// attacker would use to cover tracks. For tests and benchmarks only.

export interface TestLog {
  readonly origin: string;
  readonly signer: NoteSigner;
  /** The verifier key string to pin. */
  readonly verifierKey: string;
  readonly key: VerifierKey;
  readonly entries: WireEntry[];
  readonly checkpoints: WireCheckpoint[];
  /** Every perfect node of the tree, by `nodeKey`, for serving proofs. */
  readonly nodes: Map<string, Buffer>;
}

/** A fresh Ed25519 signer and its verifier key. */
export function testSigner(name: string): { signer: NoteSigner; verifierKey: string; key: VerifierKey } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const signer = ed25519Signer(name, privateKey);
  const verifierKey = verifierKeyString(signer.name, signer.publicKey);
  return { signer, verifierKey, key: parseVerifierKey(verifierKey) };
}

const TOPICS = ['aal.model-registry.events.v1', 'aal.deployment-approval.events.v1', 'aal.usage-events.events.v1'];
const BASE_TIME = Date.parse('2026-11-02T09:00:00.000Z');

/** The raw content of entry `n`: a realistic CloudEvent in Kafka binary mode (about 500 bytes). */
export function entryContent(n: number, variant = ''): Omit<WireEntry, 'seq' | 'leafHash' | 'chainHash'> {
  const outputId = `0000${n.toString(16)}`.slice(-8);
  const value = {
    outputId: `9b1d6c2e-4f3a-4e8b-a1c2-${outputId}0000`,
    deploymentId: '4d7f2a10-8c3b-4a91-9e55-2b6f0c1d3e4a',
    modelVersionId: 'sepsiswatch-2.1.0',
    subject: `psn_patient${n % 997}`,
    outputDigest: `sha256:${n.toString(16).padStart(64, '0')}`,
    kind: 'early-warning-score',
    summary: `NEWS2-style sepsis risk alert ${n}${variant}`,
    actor: { organisation: 'st-elsewhere-nhs-trust', person: 'psn_nurse0042', role: 'registered-nurse' },
  };
  return {
    recordedAt: new Date(BASE_TIME + n * 7).toISOString(),
    topic: TOPICS[n % TOPICS.length]!,
    partition: n % 3,
    offset: String(Math.floor(n / 3)),
    headers: {
      'content-type': 'application/json',
      ce_specversion: '1.0',
      ce_id: `evt-${n}${variant}`,
      ce_source: '/usage-events',
      ce_type: 'aal.output.generated.v1',
      ce_subject: subjectOf('output', outputId),
      ce_time: new Date(BASE_TIME + n * 7 - 250).toISOString(),
    },
    value: Buffer.from(JSON.stringify(value), 'utf8').toString('base64'),
  };
}

/** Computes an entry's leaf hash and its chain hash after `previousChain`, as the ledger stores them. */
export function sealEntry(
  content: Omit<WireEntry, 'leafHash' | 'chainHash'>,
  previousChain: Buffer,
): { entry: WireEntry; leaf: Buffer; chain: Buffer } {
  const leaf = entryLeafHash({ ...content, value: Buffer.from(content.value, 'base64') });
  const chain = nextChainHash(previousChain, leaf);
  return { entry: { ...content, leafHash: leaf.toString('hex'), chainHash: chain.toString('hex') }, leaf, chain };
}

/** Events as an honest ledger logs them (see `logEvents`), with the facts the answer code reads from them. */
export interface EventLog {
  readonly entries: WireEntry[];
  /** Every perfect node of the tree, by `nodeKey`, for serving proofs. */
  readonly nodes: Map<string, Buffer>;
  /** Signed over all the entries (checkpoint 1). */
  readonly checkpoint: WireCheckpoint;
  /** The entries' catalogue facts, in seq order (entries that decode to none left out). */
  readonly facts: Fact[];
}

/**
 * Seals `contents` (gapless seqs from 0) one after another from the genesis chain hash, as the
 * ledger stores them. `nodes` holds every leaf and perfect node by `nodeKey`, for serving proofs.
 */
export function sealLog(contents: readonly Omit<WireEntry, 'leafHash' | 'chainHash'>[]): {
  entries: WireEntry[];
  nodes: Map<string, Buffer>;
  root: Buffer;
} {
  const tree = new MerkleAccumulator();
  const nodes = new Map<string, Buffer>();
  let chain = GENESIS_CHAIN_HASH;
  const entries = contents.map((content) => {
    const s = sealEntry(content, chain);
    chain = s.chain;
    nodes.set(nodeKey({ level: 0, index: content.seq }), s.leaf);
    for (const node of tree.append(s.leaf)) nodes.set(nodeKey(node.id), node.hash);
    return s.entry;
  });
  return { entries, nodes, root: tree.root() };
}

/**
 * Logs `events` in order from seq 0 on `topic` (partition 0, offset = seq), each recorded 2 s after
 * its event time, and signs one checkpoint over them all.
 */
export function logEvents(events: readonly CloudEvent<unknown>[], topic: string, origin: string, signer: NoteSigner): EventLog {
  const { entries, nodes, root } = sealLog(
    events.map((event, seq) => {
      const message = toBinaryMessage(event);
      return {
        seq,
        recordedAt: new Date(Date.parse(event.time) + 2000).toISOString(),
        topic,
        partition: 0,
        offset: String(seq),
        headers: message.headers,
        value: Buffer.from(message.value).toString('base64'),
      };
    }),
  );
  const checkpoint = signedCheckpoint(1, origin, entries.length, root, signer);
  const facts = entries
    .map((e) => decodeFact({ seq: e.seq, recordedAt: e.recordedAt, headers: e.headers, value: Buffer.from(e.value, 'base64') }))
    .filter((f): f is Fact => f !== undefined);
  return { entries, nodes, checkpoint, facts };
}

/** The log's entries as a case bundle carries them: without chain hashes, each with its inclusion proof in the whole tree. */
export function caseBundleEntries(log: Pick<EventLog, 'entries' | 'nodes'>): CaseBundle['entries'] {
  const size = log.entries.length;
  return log.entries.map(({ chainHash: _chain, ...e }) => ({
    ...e,
    inclusionProof: buildInclusionProof(e.seq, size, log.nodes).map((h) => h.toString('hex')),
  }));
}

/**
 * An honest log of `size` entries with a signed checkpoint at each of `checkpointSizes`
 * (ascending, each ≤ size).
 */
export function buildTestLog(size: number, checkpointSizes: readonly number[], origin = 'test.local/aal-ledger'): TestLog {
  const { signer, verifierKey, key } = testSigner(origin);
  const entries: WireEntry[] = [];
  const checkpoints: WireCheckpoint[] = [];
  const nodes = new Map<string, Buffer>();
  const tree = new MerkleAccumulator();
  let chain = GENESIS_CHAIN_HASH;
  let next = 0;
  const checkpointAt = (treeSize: number) => {
    while (checkpointSizes[next] === treeSize) {
      checkpoints.push(signedCheckpoint(checkpoints.length + 1, origin, treeSize, tree.root(), signer));
      next += 1;
    }
  };
  checkpointAt(0);
  for (let seq = 0; seq < size; seq += 1) {
    const sealed = sealEntry({ seq, ...entryContent(seq) }, chain);
    chain = sealed.chain;
    entries.push(sealed.entry);
    for (const node of tree.append(sealed.leaf)) nodes.set(nodeKey(node.id), node.hash);
    checkpointAt(seq + 1);
  }
  return { origin, signer, verifierKey, key, entries, checkpoints, nodes };
}

/** A checkpoint over `rootHash` signed by `signer` (and `also`, as during a key rotation), as the ledger lists it. */
export function signedCheckpoint(
  id: number,
  origin: string,
  treeSize: number,
  rootHash: Buffer,
  signer: NoteSigner,
  ...also: NoteSigner[]
): WireCheckpoint {
  const note = signCheckpoint({ origin, size: treeSize, rootHash, extensions: [] }, signer, ...also);
  return { id, treeSize, rootHash: rootHash.toString('hex'), note, createdAt: new Date(BASE_TIME + treeSize * 7 + 1000).toISOString() };
}

/** The RFC 9162 root of the first `size` entries' recomputed leaves. */
export function rootOf(entries: readonly WireEntry[], size: number): Buffer {
  const tree = new MerkleAccumulator();
  for (const entry of entries.slice(0, size)) tree.append(entryLeafHash({ ...entry, value: Buffer.from(entry.value, 'base64') }));
  return tree.root();
}

/** What an attacker does to cover tracks: recompute the stored leaf and chain hashes from `from` on. */
export function rehashFrom(entries: readonly WireEntry[], from: number): WireEntry[] {
  let chain = from === 0 ? GENESIS_CHAIN_HASH : Buffer.from(entries[from - 1]!.chainHash, 'hex');
  return entries.map((entry, i) => {
    if (i < from) return entry;
    const { leafHash: _leaf, chainHash: _chain, ...content } = entry;
    const sealed = sealEntry(content, chain);
    chain = sealed.chain;
    return sealed.entry;
  });
}

export function toBundle(log: Pick<TestLog, 'origin' | 'verifierKey' | 'entries' | 'checkpoints'>): LedgerBundle {
  return { format: BUNDLE_FORMAT, origin: log.origin, verifierKey: log.verifierKey, entries: log.entries, checkpoints: log.checkpoints };
}

/** `entries` followed by `count` more honest entries (content marked with `variant`), chained on. */
export function extendLog(entries: readonly WireEntry[], count: number, variant = ''): WireEntry[] {
  let chain = entries.length === 0 ? GENESIS_CHAIN_HASH : Buffer.from(entries[entries.length - 1]!.chainHash, 'hex');
  const added = Array.from({ length: count }, (_, i) => {
    const seq = entries.length + i;
    const sealed = sealEntry({ seq, ...entryContent(seq, variant) }, chain);
    chain = sealed.chain;
    return sealed.entry;
  });
  return [...entries, ...added];
}

/** Checkpoints over `entries` at each of `sizes`, signed by `signer` (and `also`), with ids from 1. */
export function signCheckpoints(
  entries: readonly WireEntry[],
  sizes: readonly number[],
  origin: string,
  signer: NoteSigner,
  ...also: NoteSigner[]
): WireCheckpoint[] {
  return sizes.map((size, i) => signedCheckpoint(i + 1, origin, size, rootOf(entries, size), signer, ...also));
}

/** The log as `ledger export` writes it (aal-log-export/v1): header, entries with each checkpoint after the entries it covers, end line. */
export function toLogExport(log: Pick<TestLog, 'origin' | 'verifierKey' | 'entries' | 'checkpoints'>): string {
  const lines: string[] = [];
  for (const line of logExportLines(log.origin, log.verifierKey, log.entries, log.checkpoints)) lines.push(line);
  return lines.join('');
}

/** The lines of a log export of `entries` and `checkpoints` (any iterables of honest ones, in log order), so a large one can be streamed. */
export function* logExportLines(
  origin: string,
  verifierKey: string,
  entries: Iterable<WireEntry>,
  checkpoints: readonly WireCheckpoint[],
  size = Array.isArray(entries) ? entries.length : 0,
): Generator<string> {
  const ordered = [...checkpoints].sort((a, b) => a.treeSize - b.treeSize || a.id - b.id);
  const latest = ordered[ordered.length - 1] ?? null;
  yield logExportHeaderLine({ origin, verifierKey, exportedAt: new Date(BASE_TIME).toISOString(), entries: size, latest });
  let next = 0;
  const due = (treeSize: number) => {
    const lines: string[] = [];
    while (ordered[next] && ordered[next]!.treeSize <= treeSize) lines.push(logExportCheckpointLine(ordered[next++]!));
    return lines;
  };
  yield* due(0);
  let count = 0;
  for (const e of entries) {
    yield logExportEntryLine(
      { ...e, value: Buffer.from(e.value, 'base64') },
      Buffer.from(e.leafHash, 'hex'),
      Buffer.from(e.chainHash, 'hex'),
    );
    count += 1;
    yield* due(e.seq + 1);
  }
  yield logExportEndLine(count, next);
}

/**
 * Writes an honest log export of `size` entries with a signed checkpoint every `every` entries to
 * `path`, generating each entry as it is written, so memory does not grow with `size`. The header
 * names the latest checkpoint, known only at the end: the lines after it go to `<path>.body` first
 * and are copied after the header.
 */
export async function writeGeneratedLogExport(
  path: string,
  size: number,
  every: number,
  origin = 'test.local/aal-ledger',
): Promise<Pick<TestLog, 'origin' | 'verifierKey' | 'key'>> {
  const { signer, verifierKey, key } = testSigner(origin);
  const bodyPath = `${path}.body`;
  const body = createWriteStream(bodyPath);
  const tree = new MerkleAccumulator();
  let chain = GENESIS_CHAIN_HASH;
  let latest: WireCheckpoint | null = null;
  let checkpoints = 0;
  let batch = '';
  for (let seq = 0; seq < size; seq += 1) {
    const sealed = sealEntry({ seq, ...entryContent(seq) }, chain);
    chain = sealed.chain;
    tree.append(sealed.leaf);
    batch += logExportEntryLine({ ...sealed.entry, value: Buffer.from(sealed.entry.value, 'base64') }, sealed.leaf, sealed.chain);
    if ((seq + 1) % every === 0) {
      checkpoints += 1;
      latest = signedCheckpoint(checkpoints, origin, seq + 1, tree.root(), signer);
      batch += logExportCheckpointLine(latest);
    }
    if (batch.length > 1 << 20 || seq === size - 1) {
      if (!body.write(batch)) await once(body, 'drain');
      batch = '';
    }
  }
  body.end(logExportEndLine(size, checkpoints));
  await once(body, 'finish');
  const header = logExportHeaderLine({ origin, verifierKey, exportedAt: new Date(BASE_TIME).toISOString(), entries: size, latest });
  writeFileSync(path, header);
  await pipeline(createReadStream(bodyPath), createWriteStream(path, { flags: 'a' }));
  rmSync(bodyPath);
  return { origin, verifierKey, key };
}

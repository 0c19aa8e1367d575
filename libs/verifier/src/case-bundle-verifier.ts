import { subjectOf } from '@aal/contracts';
import { entryLeafHash, NoteError, ProofError, verifyCheckpoint, verifyInclusion, type Checkpoint, type EventKeySet } from '@aal/ledger-core';
import { recomputeCaseAnswers } from '@aal/accountability';
import { entrySignatureProblem } from './event-signature-check';
import type { VerifierKey } from './log-verifier';
import { CASE_BUNDLE_FORMAT, decodeCheckpoint, decodeEntryContent, type WireCheckpoint } from './wire-format';

interface CaseProblemOf<K extends string, E> {
  readonly kind: K;
  /** The first entry (by its position in the bundle, named by seq) found wrong, when an entry is concerned. */
  readonly seq?: number;
  readonly checkpointSize?: number;
  readonly detail: string;
  readonly evidence: E;
}

/**
 * The first thing found wrong with a case bundle: the checkpoint first, then the entries in
 * bundle order, then the bundle's claims about them.
 */
export type CaseBundleProblem =
  | CaseProblemOf<'bundle-malformed', { readonly reason: string }>
  | CaseProblemOf<'checkpoint-malformed', { readonly reason: string; readonly checkpoint: unknown }>
  | CaseProblemOf<'checkpoint-bad-signature', { readonly code: string; readonly reason: string; readonly checkpoint: unknown }>
  | CaseProblemOf<'checkpoint-origin-mismatch', { readonly expectedOrigin: string; readonly code: string; readonly reason: string; readonly checkpoint: unknown }>
  | CaseProblemOf<'entry-malformed', { readonly position: number; readonly reason: string; readonly entry: unknown }>
  | CaseProblemOf<'entry-out-of-order', { readonly position: number; readonly previousSeq: number; readonly entry: unknown }>
  | CaseProblemOf<'entry-beyond-checkpoint', { readonly position: number; readonly treeSize: number; readonly entry: unknown }>
  | CaseProblemOf<'entry-tampered', { readonly storedLeafHash: string; readonly computedLeafHash: string; readonly entry: unknown }>
  | CaseProblemOf<'inclusion-proof-invalid', { readonly code: string; readonly reason: string; readonly leafHash: string; readonly treeSize: number; readonly rootHash: string; readonly proof: unknown }>
  | CaseProblemOf<'event-signature-invalid', { readonly code: string; readonly reason: string; readonly [more: string]: unknown }>
  | CaseProblemOf<'evidence-not-in-bundle', { readonly pointer: string; readonly citedSeq: number }>
  | CaseProblemOf<'case-claim-mismatch', { readonly field: string; readonly claimed: unknown; readonly recorded: unknown; readonly entrySeq: number }>
  /** The bundle's answer for an output is not what the shared code computes from its proven entries. */
  | CaseProblemOf<'answer-differs', { readonly outputId: string; readonly pointer: string; readonly recomputed: unknown; readonly stated: unknown }>;

export type CaseBundleProblemKind = CaseBundleProblem['kind'];

export interface CaseBundleVerification {
  readonly caseId: string;
  /** Entries whose leaf was recomputed from their content and proven in the checkpoint's tree. */
  readonly entries: number;
  readonly checkpoint: { readonly treeSize: number; readonly rootHash: string; readonly note: string };
  /** `evidence` citations in the claims, each resolved to a verified entry. */
  readonly citations: number;
  /** The seq of the case's own `case.opened` entry when the bundle holds it (its claims then agree with it). */
  readonly caseOpenedSeq: number | null;
  /** Related entries the bundle names as recorded after its checkpoint (not verified). */
  readonly notCovered: readonly number[];
  /** Outputs whose answer (chain and findings) was recomputed from the proven entries and agreed. */
  readonly recomputedAnswers: number;
}

export type CaseBundleOutcome =
  | ({ readonly ok: true } & CaseBundleVerification)
  | { readonly ok: false; readonly problem: CaseBundleProblem; readonly entries: number };

export interface CaseBundleSettings {
  /** The key the checkpoint MUST be signed with: the user's, never the one the bundle announces unasked. */
  readonly key: VerifierKey;
  /** The origin line the checkpoint MUST carry. */
  readonly origin: string;
  /** When given, every entry's event MUST also be signed by a key trusted here for its producer. */
  readonly eventKeys?: EventKeySet | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hex = (b: Buffer) => b.toString('hex');
const HASH_HEX = /^[0-9a-f]{64}$/;

/** True when `document` says it is a case bundle (it may still be malformed). */
export function isCaseBundle(document: unknown): boolean {
  return isObject(document) && document['format'] === CASE_BUNDLE_FORMAT;
}

/**
 * Verifies an `aal-case-export/v1` bundle offline. Pure: no I/O, no clock. Trusts nothing in the
 * bundle but what the pinned key proves:
 * 1. the checkpoint's signed note MUST verify with `key` and `origin`, and its listed size and
 *    root MUST be those of the note;
 * 2. each entry, in bundle order (strictly ascending seq, each below the checkpoint's size), is
 *    decoded strictly, its leaf hash recomputed from its content (the stored `leafHash` is only
 *    compared, to name a change), and its inclusion proof MUST lead from that leaf to the signed
 *    root;
 *    With `eventKeys`, each entry's event MUST also carry a signature by a key trusted for the
 *    producer its source names (`event-signature-invalid`);
 * 3. the claims (`case`, `accountability`, `findings`) are the ledger's reading of the entries:
 *    every `evidence` seq they cite MUST be a verified entry, and when the bundle holds the case's
 *    own `case.opened` entry, the `case` claims MUST agree with it.
 * Stops at the first problem.
 */
export function verifyCaseBundle(document: unknown, settings: CaseBundleSettings): CaseBundleOutcome {
  const failed = (problem: CaseBundleProblem, entries = 0): CaseBundleOutcome => ({ ok: false, problem, entries });
  const malformed = (reason: string) => failed({ kind: 'bundle-malformed', detail: `the bundle ${reason}`, evidence: { reason } });
  if (!isCaseBundle(document)) return malformed(`is not an ${CASE_BUNDLE_FORMAT} document`);
  const d = document as Record<string, unknown>;
  const claims = d['case'];
  if (!isObject(claims) || typeof claims['caseId'] !== 'string') return malformed('has no `case` object with a `caseId` string');
  if (!Array.isArray(d['entries'])) return malformed('has no `entries` array');
  const caseId = claims['caseId'];

  // 1. The checkpoint.
  const listed = decodeCheckpoint(d['checkpoint']);
  if (!listed.ok) return failed({ kind: 'checkpoint-malformed', detail: `the bundle's checkpoint ${listed.reason}`, evidence: { reason: listed.reason, checkpoint: d['checkpoint'] } });
  const opened = openCheckpoint(listed.value, settings);
  if (!opened.ok) return failed(opened.problem);
  const { size: treeSize, rootHash } = opened.checkpoint;

  // 2. The entries.
  const entries = d['entries'] as unknown[];
  const verified = new Map<number, { headers: Readonly<Record<string, string>>; value: Buffer; recordedAt: string }>();
  let previous = -1;
  for (let position = 0; position < entries.length; position += 1) {
    const raw = entries[position];
    const at = (seq: number | undefined) => (seq === undefined ? {} : { seq });
    const claimedSeq = isObject(raw) && Number.isSafeInteger(raw['seq']) ? (raw['seq'] as number) : undefined;
    const content = decodeEntryContent(raw);
    const leafText = isObject(raw) ? raw['leafHash'] : undefined;
    const proofRaw = isObject(raw) ? raw['inclusionProof'] : undefined;
    const shape = !content.ok
      ? content.reason
      : typeof leafText !== 'string' || !HASH_HEX.test(leafText)
        ? '`leafHash` is not 32 bytes of lower-case hex'
        : !Array.isArray(proofRaw) || !proofRaw.every((h) => typeof h === 'string' && HASH_HEX.test(h))
          ? '`inclusionProof` is not an array of 32-byte lower-case hex hashes'
          : null;
    if (shape !== null || !content.ok) {
      return failed(
        { kind: 'entry-malformed', ...at(claimedSeq), detail: `entry at position ${position}${claimedSeq === undefined ? '' : ` (seq ${claimedSeq})`} ${shape}`, evidence: { position, reason: shape!, entry: raw } },
        verified.size,
      );
    }
    const entry = content.value;
    if (entry.seq <= previous) {
      return failed(
        { kind: 'entry-out-of-order', seq: entry.seq, detail: `entry ${entry.seq} follows entry ${previous}: a case bundle lists each entry once, in log order`, evidence: { position, previousSeq: previous, entry: raw } },
        verified.size,
      );
    }
    if (entry.seq >= treeSize) {
      return failed(
        { kind: 'entry-beyond-checkpoint', seq: entry.seq, checkpointSize: treeSize, detail: `entry ${entry.seq} is not in the checkpoint's tree of size ${treeSize}`, evidence: { position, treeSize, entry: raw } },
        verified.size,
      );
    }
    const leaf = entryLeafHash(entry);
    if (hex(leaf) !== leafText) {
      return failed(
        { kind: 'entry-tampered', seq: entry.seq, detail: `entry ${entry.seq} was changed: its content does not hash to the leaf recorded with it`, evidence: { storedLeafHash: leafText as string, computedLeafHash: hex(leaf), entry: raw } },
        verified.size,
      );
    }
    try {
      verifyInclusion(leaf, entry.seq, treeSize, (proofRaw as string[]).map((h) => Buffer.from(h, 'hex')), rootHash);
    } catch (err) {
      if (!(err instanceof ProofError)) throw err;
      return failed(
        {
          kind: 'inclusion-proof-invalid',
          seq: entry.seq,
          checkpointSize: treeSize,
          detail: `entry ${entry.seq} is not proven to be in the signed tree of size ${treeSize}: ${err.message}`,
          evidence: { code: err.code, reason: err.message, leafHash: hex(leaf), treeSize, rootHash: hex(rootHash), proof: proofRaw },
        },
        verified.size,
      );
    }
    if (settings.eventKeys) {
      // Who emitted it: the entry's hashes are proven, its signature is checked with the user's keys.
      const signature = entrySignatureProblem({ ...entry, storedLeafHash: leaf, storedChainHash: leaf }, raw, settings.eventKeys);
      if (signature && signature.kind === 'event-signature-invalid') {
        return failed({ kind: 'event-signature-invalid', seq: entry.seq, detail: signature.detail, evidence: signature.evidence as { code: string; reason: string } }, verified.size);
      }
    }
    verified.set(entry.seq, { headers: entry.headers, value: entry.value, recordedAt: entry.recordedAt });
    previous = entry.seq;
  }

  // 3. The claims.
  let citations = 0;
  for (const section of ['case', 'accountability', 'findings'] as const) {
    for (const cited of evidenceCitations(d[section], `/${section}`)) {
      if (typeof cited.seq !== 'number' || !verified.has(cited.seq)) {
        const citedSeq = typeof cited.seq === 'number' ? cited.seq : Number.NaN;
        return failed(
          { kind: 'evidence-not-in-bundle', detail: `${cited.pointer} cites entry ${String(cited.seq)}, which is not a verified entry of this bundle`, evidence: { pointer: cited.pointer, citedSeq } },
          verified.size,
        );
      }
      citations += 1;
    }
  }
  // Every version, known to this verifier or not: a case.opened it cannot name must still be checked, not skipped.
  const caseOpened = [...verified.entries()].find(([, e]) => e.headers['ce_subject'] === subjectOf('case', caseId) && /^aal\.case\.opened\.v\d+$/.test(e.headers['ce_type'] ?? ''));
  if (caseOpened) {
    const mismatch = compareCaseClaims(claims, caseOpened[1].value);
    if (mismatch) {
      return failed(
        {
          kind: 'case-claim-mismatch',
          seq: caseOpened[0],
          detail: `the bundle says the case's ${mismatch.field} is ${JSON.stringify(mismatch.claimed)}, but its case.opened entry ${caseOpened[0]} records ${JSON.stringify(mismatch.recorded)}`,
          evidence: { ...mismatch, entrySeq: caseOpened[0] },
        },
        verified.size,
      );
    }
  }
  // 4. The answers: recomputed from the proven entries with the ledger's own code.
  const recomputation = recomputeAnswers(d, verified);
  if (!recomputation.ok) return failed(recomputation.problem, verified.size);
  const notCovered = Array.isArray(d['notCovered']) ? d['notCovered'].filter((n): n is number => Number.isSafeInteger(n)) : [];
  return {
    ok: true,
    caseId,
    entries: verified.size,
    checkpoint: { treeSize, rootHash: hex(rootHash), note: listed.value.note },
    citations,
    caseOpenedSeq: caseOpened ? caseOpened[0] : null,
    notCovered,
    recomputedAnswers: recomputation.count,
  };
}

type AnswerCheck = { ok: true; count: number } | { ok: false; problem: CaseBundleProblem };

/**
 * Recomputes each output's answer from the bundle's proven entries with @aal/accountability's
 * recomputeCaseAnswers (the same function the investigator page runs in the browser); the first
 * difference is the problem.
 */
function recomputeAnswers(d: Record<string, unknown>, verified: ReadonlyMap<number, { headers: Readonly<Record<string, string>>; value: Buffer; recordedAt: string }>): AnswerCheck {
  const entries = [...verified].map(([seq, e]) => ({ seq, recordedAt: e.recordedAt, headers: e.headers, value: e.value }));
  const { recomputed, difference } = recomputeCaseAnswers({ accountability: d['accountability'], findings: d['findings'] }, entries);
  if (!difference) return { ok: true, count: recomputed };
  const { outputId, pointer, stated } = difference;
  return {
    ok: false,
    problem: {
      kind: 'answer-differs',
      detail: `the bundle's answer for output ${outputId} differs at ${pointer} from the one computed from its proven entries: it states ${JSON.stringify(stated)}, the entries give ${JSON.stringify(difference.recomputed)}`,
      evidence: { outputId, pointer, recomputed: difference.recomputed, stated },
    },
  };
}

function openCheckpoint(listed: WireCheckpoint, settings: CaseBundleSettings): { ok: true; checkpoint: Checkpoint } | { ok: false; problem: CaseBundleProblem } {
  let checkpoint: Checkpoint;
  try {
    checkpoint = verifyCheckpoint(listed.note, settings.key, settings.origin);
  } catch (err) {
    if (!(err instanceof NoteError)) throw err;
    const base = { checkpointSize: listed.treeSize, evidence: { code: err.code, reason: err.message, checkpoint: listed } };
    if (err.code === 'CHECKPOINT.ORIGIN_MISMATCH') {
      return { ok: false, problem: { kind: 'checkpoint-origin-mismatch', ...base, detail: `the checkpoint is for another log: ${err.message}`, evidence: { ...base.evidence, expectedOrigin: settings.origin } } };
    }
    if (err.code === 'CHECKPOINT.MALFORMED') {
      return { ok: false, problem: { kind: 'checkpoint-malformed', checkpointSize: listed.treeSize, detail: `the checkpoint ${err.message}`, evidence: { reason: err.message, checkpoint: listed } } };
    }
    return { ok: false, problem: { kind: 'checkpoint-bad-signature', ...base, detail: `the checkpoint is not signed by the trusted key: ${err.message}` } };
  }
  if (checkpoint.size !== listed.treeSize || hex(checkpoint.rootHash) !== listed.rootHash.toLowerCase()) {
    const reason = `is listed with tree size ${listed.treeSize} and root ${listed.rootHash}, but its signed note says size ${checkpoint.size} and root ${hex(checkpoint.rootHash)}`;
    return { ok: false, problem: { kind: 'checkpoint-malformed', checkpointSize: listed.treeSize, detail: `the checkpoint ${reason}`, evidence: { reason, checkpoint: listed } } };
  }
  return { ok: true, checkpoint };
}

/** Every `evidence` array anywhere under `value`, flattened to (JSON Pointer, cited value). */
export function evidenceCitations(value: unknown, pointer = ''): Array<{ pointer: string; seq: unknown }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => evidenceCitations(v, `${pointer}/${i}`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const here = `${pointer}/${k}`;
    if (k === 'evidence' && Array.isArray(v)) return v.map((seq, i) => ({ pointer: `${here}/${i}`, seq }));
    return evidenceCitations(v, here);
  });
}

/** The `case` claims that a `case.opened` entry records; the first that disagrees, if any. */
function compareCaseClaims(claims: Record<string, unknown>, value: Buffer): { field: string; claimed: unknown; recorded: unknown } | null {
  let data: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    if (!isObject(parsed)) return { field: 'case.opened data', claimed: 'an object', recorded: parsed };
    data = parsed;
  } catch {
    return { field: 'case.opened data', claimed: 'JSON', recorded: value.toString('base64') };
  }
  const pairs: Array<[string, unknown, unknown]> = [
    ['title', claims['title'], data['title']],
    ['organisationId', claims['organisationId'], data['organisationId']],
    ['openedBy', claims['openedBy'], data['actor']],
    ['openedAgainst', claims['openedAgainst'], data['openedAgainst']],
    ['incidentId', claims['incidentId'], data['incidentId']],
    ['outputIds', claims['outputIds'], data['outputIds']],
    ['basis', claims['basis'], data['basis']],
  ];
  for (const [field, claimed, recorded] of pairs) {
    if (canonical(claimed) !== canonical(recorded)) return { field, claimed, recorded };
  }
  return null;
}

/** JSON with sorted keys, for comparing claims with recorded data regardless of key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** "seq 41", "checkpoint of size 30", or both, for messages. */
export function caseProblemLocation(problem: CaseBundleProblem): string {
  const parts: string[] = [];
  if (problem.kind === 'answer-differs') parts.push(`output ${problem.evidence.outputId}, ${problem.evidence.pointer}`);
  if (problem.seq !== undefined) parts.push(`seq ${problem.seq}`);
  if (problem.checkpointSize !== undefined) parts.push(`checkpoint of size ${problem.checkpointSize}`);
  return parts.length > 0 ? parts.join(', ') : 'the bundle';
}

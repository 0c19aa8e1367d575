import { subjectOf } from '@aal/contracts';
import {
  entryLeafHash,
  NoteError,
  ProofError,
  verifyCheckpoint,
  verifyInclusion,
  type Checkpoint,
  type EventKeySet,
} from '@aal/ledger-core';
import {
  caseRecordOf,
  decodeFactEntry,
  expandSharedAnswers,
  firstReportDifference,
  recomputeCaseAnswers,
  recommendationsRecomputation,
  reportParts,
  sharedLocation,
  type CaseReportSource,
  type Fact,
  type HoldRecord,
  type RawEntry,
  type ReportDifference,
  type ReportPart,
  type SharedRefSite,
} from '@aal/accountability';
import { entrySignatureProblem } from './event-signature-check';
import { listingProblem, type VerifierKey } from './log-verifier';
import { CASE_BUNDLE_FORMAT, CASE_BUNDLE_FORMATS, decodeCheckpoint, decodeEntryContent, type WireCheckpoint } from './wire-format';

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
  | CaseProblemOf<
      'checkpoint-origin-mismatch',
      { readonly expectedOrigin: string; readonly code: string; readonly reason: string; readonly checkpoint: unknown }
    >
  | CaseProblemOf<'entry-malformed', { readonly position: number; readonly reason: string; readonly entry: unknown }>
  | CaseProblemOf<'entry-out-of-order', { readonly position: number; readonly previousSeq: number; readonly entry: unknown }>
  | CaseProblemOf<'entry-beyond-checkpoint', { readonly position: number; readonly treeSize: number; readonly entry: unknown }>
  | CaseProblemOf<'entry-tampered', { readonly storedLeafHash: string; readonly computedLeafHash: string; readonly entry: unknown }>
  | CaseProblemOf<
      'inclusion-proof-invalid',
      {
        readonly code: string;
        readonly reason: string;
        readonly leafHash: string;
        readonly treeSize: number;
        readonly rootHash: string;
        readonly proof: unknown;
      }
    >
  | CaseProblemOf<'event-signature-invalid', { readonly code: string; readonly reason: string; readonly [more: string]: unknown }>
  | CaseProblemOf<'evidence-not-in-bundle', { readonly pointer: string; readonly citedSeq: number }>
  | CaseProblemOf<
      'case-claim-mismatch',
      { readonly field: string; readonly claimed: unknown; readonly recorded: unknown; readonly entrySeq: number }
    >
  /**
   * The bundle's answer for an output is not what the shared code computes from its proven
   * entries. `pointer` is into the answer as read (shared values expanded); `writtenAt` is where
   * the differing item is written in the file (under `/shared/<k>` when the answers share it).
   */
  | CaseProblemOf<
      'answer-differs',
      {
        readonly outputId: string;
        readonly pointer: string;
        readonly writtenAt: string;
        readonly recomputed: unknown;
        readonly stated: unknown;
      }
    >
  /** The bundle's `recommendations` are not what the shared code computes from its proven entries at the clock and threshold they state. */
  | CaseProblemOf<'recommendations-differ', { readonly pointer: string; readonly recomputed: unknown; readonly stated: unknown }>
  /** The bundle's report is not the one the shared renderer gives for its proven entries; `part` names where it first departs. */
  | CaseProblemOf<'report-differs', ReportDifference>;

export type CaseBundleProblemKind = CaseBundleProblem['kind'];

export interface CaseBundleVerification {
  readonly caseId: string;
  /** The log's origin, as the checkpoint's signed note carries it. */
  readonly origin: string;
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
  /** The case's legal holds as its proven entries record them (empty without its case.opened); in force when the last has no `lifted`. */
  readonly holds: readonly HoldRecord[];
  /** JSON Pointers of what the bundle states that nothing proves (see unprovenParts); the report labels those it shows. */
  readonly unproven: readonly string[];
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

/** True when `document` says it is a case bundle of a format this verifier reads (it may still be malformed). */
export function isCaseBundle(document: unknown): boolean {
  return isObject(document) && CASE_BUNDLE_FORMATS.includes(document['format'] as string);
}

/** An entry of the bundle whose leaf was recomputed and proven in the checkpoint's tree. */
type ProvenEntry = RawEntry & { readonly value: Buffer };

type Step<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: CaseBundleProblem };

/** What steps 1 to 4 established, the entries proven before any problem, and the answers as read (shared values expanded). */
interface ContentCheck {
  readonly outcome: CaseBundleOutcome;
  readonly proven: readonly ProvenEntry[];
  readonly answers: unknown;
}

/**
 * Verifies an `aal-case-export/v2` (or v1) bundle offline; in v2 the answers' shared values are expanded first. Pure: no I/O, no clock. Trusts nothing in the
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
 *    own `case.opened` entry, the `case` claims MUST agree with it;
 * 4. each output's answer MUST be the one the shared code recomputes from the proven entries;
 * 5. the report MUST be the one the shared renderer gives for the proven entries, the recomputed
 *    answers and this verification (`report-differs` names the first part that is not).
 * Stops at the first problem.
 */
export function verifyCaseBundle(document: unknown, settings: CaseBundleSettings): CaseBundleOutcome {
  const { outcome, proven, answers } = checkCaseContent(document, settings);
  if (!outcome.ok) return outcome;
  const d = document as Record<string, unknown>;
  const difference = reportDifference(d['report'], renderedReportParts(d, answers, proven, outcome));
  if (!difference) return outcome;
  return {
    ok: false,
    entries: outcome.entries,
    problem: {
      kind: 'report-differs',
      detail: `the bundle's report differs from the one rendered from its proven entries at ${difference.part} (character ${difference.offset}): it states ${JSON.stringify(difference.stated)}, the entries give ${JSON.stringify(difference.recomputed)}`,
      evidence: difference,
    },
  };
}

/**
 * The report of a case bundle (without its `report`, as JSON): steps 1 to 4 of verifyCaseBundle
 * run over it, and the shared renderer shows what they proved. The ledger renders its export's
 * report with this, so that `ledger-verify --bundle` can render the same document again.
 */
export function caseBundleReport(document: unknown, settings: CaseBundleSettings): string {
  const { outcome, proven, answers } = checkCaseContent(document, settings);
  let html = '';
  for (const part of renderedReportParts(isObject(document) ? document : {}, answers, proven, outcome)) html += part.html;
  return html;
}

function renderedReportParts(
  d: Record<string, unknown>,
  answers: unknown,
  proven: readonly ProvenEntry[],
  outcome: CaseBundleOutcome,
): Iterable<ReportPart> {
  const claims = isObject(d['case']) ? d['case'] : {};
  const source: CaseReportSource = {
    caseId: String(claims['caseId']),
    origin: outcome.ok ? outcome.origin : String(d['origin']),
    exportedAt: String(d['exportedAt']),
    accountability: answers,
    ...(Object.hasOwn(d, 'recommendations') ? { recommendations: d['recommendations'] } : {}),
    notCovered: notCoveredOf(d),
  };
  // Rendered part by part as the comparison reaches it: no rendered part outlives its comparison.
  return reportParts(source, proven, outcome);
}

function reportDifference(report: unknown, parts: Iterable<ReportPart>): ReportDifference | null {
  if (!isObject(report) || report['mediaType'] !== 'text/html' || typeof report['html'] !== 'string') {
    return {
      part: 'report',
      offset: 0,
      stated: JSON.stringify(report ?? null).slice(0, 160),
      recomputed: 'a { mediaType: "text/html", html } report',
    };
  }
  return firstReportDifference(report['html'], parts);
}

/** Steps 1 to 4 of verifyCaseBundle. */
function checkCaseContent(document: unknown, settings: CaseBundleSettings): ContentCheck {
  let answers: unknown = isObject(document) ? document['accountability'] : undefined;
  const failed = (problem: CaseBundleProblem, proven: readonly ProvenEntry[] = []): ContentCheck => ({
    outcome: { ok: false, problem, entries: proven.length },
    proven,
    answers,
  });
  const shape = bundleOutline(document);
  if (!shape.ok) return failed(shape.problem);
  const { d, claims, caseId, entries, refs } = shape.value;
  answers = shape.value.answers;

  // 1. The checkpoint.
  const listed = decodeCheckpoint(d['checkpoint']);
  if (!listed.ok)
    return failed({
      kind: 'checkpoint-malformed',
      detail: `the bundle's checkpoint ${listed.reason}`,
      evidence: { reason: listed.reason, checkpoint: d['checkpoint'] },
    });
  const opened = openCheckpoint(listed.value, settings);
  if (!opened.ok) return failed(opened.problem);
  const { size: treeSize, rootHash } = opened.checkpoint;

  // 2. The entries.
  const proven: ProvenEntry[] = [];
  for (let position = 0; position < entries.length; position += 1) {
    const entry = proveEntry(entries[position], position, proven[proven.length - 1]?.seq ?? -1, opened.checkpoint, settings);
    if (!entry.ok) return failed(entry.problem, proven);
    proven.push(entry.value);
  }

  // 3. The claims.
  const claimed = checkClaims(d, refs, claims, caseId, proven);
  if (!claimed.ok) return failed(claimed.problem, proven);

  // 4. The answers: recomputed from the proven entries with the ledger's own code.
  const recomputation = recomputeAnswers(d, answers, refs, proven);
  if (!recomputation.ok) return failed(recomputation.problem, proven);
  const recommendations = recomputeRecommendations(d, caseId, proven);
  if (recommendations) return failed(recommendations, proven);
  const caseOpenedSeq = claimed.value.caseOpenedSeq;
  return {
    outcome: {
      ok: true,
      caseId,
      origin: opened.checkpoint.origin,
      entries: proven.length,
      checkpoint: { treeSize, rootHash: hex(rootHash), note: listed.value.note },
      citations: claimed.value.citations,
      caseOpenedSeq,
      notCovered: notCoveredOf(d),
      recomputedAnswers: recomputation.count,
      unproven: unprovenParts(d, claims, caseOpenedSeq, claimed.value.linkedChains),
      holds: caseRecordOf(caseId, provenFacts(proven))?.holds ?? [],
    },
    proven,
    answers,
  };
}

/** The proven entries as facts (each validated again; one that does not is no fact of the case). */
const provenFacts = (proven: readonly ProvenEntry[]): Fact[] =>
  proven.flatMap((e) => {
    const decoded = decodeFactEntry(e);
    return decoded.ok ? [decoded.fact] : [];
  });

const notCoveredOf = (d: Record<string, unknown>) =>
  Array.isArray(d['notCovered']) ? d['notCovered'].filter((n): n is number => Number.isSafeInteger(n)) : [];

interface BundleOutline {
  readonly d: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  readonly caseId: string;
  readonly entries: unknown[];
  /** `accountability` as read: in v2, every `{ "$shared": k }` replaced by `shared[k]`. */
  readonly answers: unknown;
  readonly refs: ReadonlyArray<readonly SharedRefSite[]>;
}

function bundleOutline(document: unknown): Step<BundleOutline> {
  const malformed = (reason: string): Step<never> => ({
    ok: false,
    problem: { kind: 'bundle-malformed', detail: `the bundle ${reason}`, evidence: { reason } },
  });
  if (!isCaseBundle(document)) return malformed(`is not an ${CASE_BUNDLE_FORMATS.join(' or ')} document`);
  const d = document as Record<string, unknown>;
  const claims = d['case'];
  if (!isObject(claims) || typeof claims['caseId'] !== 'string') return malformed('has no `case` object with a `caseId` string');
  if (!Array.isArray(d['entries'])) return malformed('has no `entries` array');
  // v1 has no shared values: what it states is read as it stands.
  const expanded =
    d['format'] === CASE_BUNDLE_FORMAT
      ? expandSharedAnswers(d['accountability'], d['shared'])
      : ({ ok: true, accountability: d['accountability'], refs: [] } as const);
  if (!expanded.ok) return malformed(`has ${expanded.pointer}, which ${expanded.reason}`);
  const { accountability: answers, refs } = expanded;
  return { ok: true, value: { d, claims, caseId: claims['caseId'], entries: d['entries'], answers, refs } };
}

/** Step 2 for the entry at `position`: decoded strictly, in order, below the checkpoint, its leaf recomputed and proven. */
function proveEntry(
  raw: unknown,
  position: number,
  previous: number,
  checkpoint: Checkpoint,
  settings: CaseBundleSettings,
): Step<ProvenEntry> {
  const fail = (problem: CaseBundleProblem): Step<never> => ({ ok: false, problem });
  const { size: treeSize, rootHash } = checkpoint;
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
    const at = claimedSeq === undefined ? {} : { seq: claimedSeq };
    return fail({
      kind: 'entry-malformed',
      ...at,
      detail: `entry at position ${position}${claimedSeq === undefined ? '' : ` (seq ${claimedSeq})`} ${shape}`,
      evidence: { position, reason: shape!, entry: raw },
    });
  }
  const entry = content.value;
  if (entry.seq <= previous) {
    return fail({
      kind: 'entry-out-of-order',
      seq: entry.seq,
      detail: `entry ${entry.seq} follows entry ${previous}: a case bundle lists each entry once, in log order`,
      evidence: { position, previousSeq: previous, entry: raw },
    });
  }
  if (entry.seq >= treeSize) {
    return fail({
      kind: 'entry-beyond-checkpoint',
      seq: entry.seq,
      checkpointSize: treeSize,
      detail: `entry ${entry.seq} is not in the checkpoint's tree of size ${treeSize}`,
      evidence: { position, treeSize, entry: raw },
    });
  }
  const leaf = entryLeafHash(entry);
  if (hex(leaf) !== leafText) {
    return fail({
      kind: 'entry-tampered',
      seq: entry.seq,
      detail: `entry ${entry.seq} was changed: its content does not hash to the leaf recorded with it`,
      evidence: { storedLeafHash: leafText as string, computedLeafHash: hex(leaf), entry: raw },
    });
  }
  try {
    verifyInclusion(
      leaf,
      entry.seq,
      treeSize,
      (proofRaw as string[]).map((h) => Buffer.from(h, 'hex')),
      rootHash,
    );
  } catch (err) {
    if (!(err instanceof ProofError)) throw err;
    return fail({
      kind: 'inclusion-proof-invalid',
      seq: entry.seq,
      checkpointSize: treeSize,
      detail: `entry ${entry.seq} is not proven to be in the signed tree of size ${treeSize}: ${err.message}`,
      evidence: { code: err.code, reason: err.message, leafHash: hex(leaf), treeSize, rootHash: hex(rootHash), proof: proofRaw },
    });
  }
  if (settings.eventKeys) {
    // Who emitted it: the entry's hashes are proven, its signature is checked with the user's keys.
    const signature = entrySignatureProblem({ ...entry, storedLeafHash: leaf, storedChainHash: leaf }, raw, settings.eventKeys);
    if (signature && signature.kind === 'event-signature-invalid') {
      return fail({
        kind: 'event-signature-invalid',
        seq: entry.seq,
        detail: signature.detail,
        evidence: signature.evidence as { code: string; reason: string },
      });
    }
  }
  return { ok: true, value: { seq: entry.seq, recordedAt: entry.recordedAt, headers: entry.headers, value: entry.value } };
}

/** Step 3: every cited seq is a proven entry, and the `case` claims agree with the case's own `case.opened`. */
function checkClaims(
  d: Record<string, unknown>,
  refs: ReadonlyArray<readonly SharedRefSite[]>,
  claims: Record<string, unknown>,
  caseId: string,
  proven: readonly ProvenEntry[],
): Step<{ citations: number; caseOpenedSeq: number | null; linkedChains: readonly boolean[] }> {
  const seqs = new Set(proven.map((e) => e.seq));
  const isVerified = (seq: number) => seqs.has(seq);
  let citations = 0;
  // Citations are checked where the file writes them: a shared value once, and counted at every
  // answer that refers to it, so the count is that of the answers as read. The same walk notes
  // which chains hold inclusion links (see unprovenParts), so the answers are walked once.
  const shared = d['format'] === CASE_BUNDLE_FORMAT && Array.isArray(d['shared']) ? (d['shared'] as unknown[]) : [];
  const perShared: number[] = [];
  const sharedLinked: boolean[] = [];
  const linkedChains: boolean[] = [];
  const sections: CitationSection[] = [
    { value: d['case'], at: '/case' },
    ...shared.map((value, k): CitationSection => ({ value, at: `/shared/${k}`, shared: k })),
    ...answerSections(d['accountability']),
    { value: d['findings'], at: '/findings' },
    { value: d['recommendations'], at: '/recommendations' },
  ];
  for (const { value, at, shared: k, chainOf } of sections) {
    const check = checkCitations(value, at, isVerified);
    if (k !== undefined) {
      perShared[k] = check.citations;
      sharedLinked[k] = check.links;
    } else citations += check.citations;
    if (chainOf !== undefined) linkedChains[chainOf] = check.links;
    if (check.unverified) {
      const { pointer, seq } = check.unverified;
      const citedSeq = typeof seq === 'number' ? seq : Number.NaN;
      return {
        ok: false,
        problem: {
          kind: 'evidence-not-in-bundle',
          detail: `${pointer} cites entry ${String(seq)}, which is not a verified entry of this bundle`,
          evidence: { pointer, citedSeq },
        },
      };
    }
  }
  refs.forEach((sites, i) => {
    for (const site of sites) {
      citations += perShared[site.index] ?? 0;
      if (sharedLinked[site.index]) linkedChains[i] = true;
    }
  });
  // Every version, known to this verifier or not: a case.opened it cannot name must still be checked, not skipped.
  const caseOpened = proven.find(
    (e) => e.headers['ce_subject'] === subjectOf('case', caseId) && /^aal\.case\.opened\.v\d+$/.test(e.headers['ce_type'] ?? ''),
  );
  const mismatch = caseOpened ? compareCaseClaims(claims, caseOpened.value) : null;
  if (caseOpened && mismatch) {
    return {
      ok: false,
      problem: {
        kind: 'case-claim-mismatch',
        seq: caseOpened.seq,
        detail: `the bundle says the case's ${mismatch.field} is ${JSON.stringify(mismatch.claimed)}, but its case.opened entry ${caseOpened.seq} records ${JSON.stringify(mismatch.recorded)}`,
        evidence: { ...mismatch, entrySeq: caseOpened.seq },
      },
    };
  }
  return { ok: true, value: { citations, caseOpenedSeq: caseOpened ? caseOpened.seq : null, linkedChains } };
}

/** A part of the claims the citation walk takes, with what its outcome counts for. */
interface CitationSection {
  readonly value: unknown;
  /** JSON Pointer of `value`. */
  readonly at: string;
  /** The shared value's index, for `/shared/<k>`. */
  readonly shared?: number;
  /** The answer's position, for a value that holds that answer's `chain` (and only it). */
  readonly chainOf?: number;
}

/**
 * The answers as the citation walk takes them, in file order: each answer member by member (a
 * member that is not an object holds no citation), the one holding its `chain` marked; anything
 * that is not an answer object whole. Each member is wrapped in an object of its own name, so the
 * walk's pointers and its reading of an `evidence` member are those of the whole array.
 */
function answerSections(accountability: unknown): CitationSection[] {
  if (!Array.isArray(accountability)) return [{ value: accountability, at: '/accountability' }];
  const sections: CitationSection[] = [];
  accountability.forEach((a: unknown, i) => {
    const at = `/accountability/${i}`;
    if (!isObject(a)) {
      sections.push({ value: a, at });
      return;
    }
    for (const key in a) {
      const member = a[key];
      if (key === 'chain') sections.push({ value: { chain: member }, at, chainOf: i });
      else if (typeof member === 'object' && member !== null) sections.push({ value: { [key]: member }, at });
    }
  });
  return sections;
}

/** The `case` claims step 3 compares with the `case.opened` entry (claim name → its field in the entry). */
const CASE_CLAIM_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['title', 'title'],
  ['organisationId', 'organisationId'],
  ['openedBy', 'actor'],
  ['openedAgainst', 'openedAgainst'],
  ['incidentId', 'incidentId'],
  ['outputIds', 'outputIds'],
  ['basis', 'basis'],
];

/**
 * JSON Pointers of what a verified bundle states that no leaf hash, signature or recomputation
 * covers: the export time, the `case` claims other than those its `case.opened` entry records
 * (all of them without it), the related entries it names but does not hold, the case-level
 * findings and the answers' stated problems and inclusion-proof links. The report shows none of
 * them except the export time and `notCovered`, which it labels as not proven.
 */
function unprovenParts(
  d: Record<string, unknown>,
  claims: Record<string, unknown>,
  caseOpenedSeq: number | null,
  /** Per answer: whether its chain holds `inclusionProofs`, in place or in a shared value it refers to (noted by checkClaims). */
  linkedChains: readonly boolean[],
): string[] {
  const checked = new Set(['caseId', ...CASE_CLAIM_FIELDS.map(([claim]) => claim)]);
  const parts = ['/exportedAt'];
  if (caseOpenedSeq === null) parts.push('/case');
  else
    parts.push(
      ...Object.keys(claims)
        .filter((k) => !checked.has(k))
        .map((k) => `/case/${k}`),
    );
  if (notCoveredOf(d).length > 0) parts.push('/notCovered');
  (Array.isArray(d['findings']) ? d['findings'] : []).forEach((f, i) => {
    if (isObject(f) && String(f['code']).startsWith('CASE.')) parts.push(`/findings/${i}`);
  });
  (Array.isArray(d['accountability']) ? d['accountability'] : []).forEach((a, i) => {
    if (isObject(a) && a['problem'] !== undefined) parts.push(`/accountability/${i}/problem`);
    if (isObject(a) && linkedChains[i]) parts.push(`/accountability/${i}/chain/**/inclusionProofs`);
  });
  return parts;
}

type AnswerCheck = { ok: true; count: number } | { ok: false; problem: CaseBundleProblem };

/**
 * Recomputes each output's answer from the bundle's proven entries with @aal/accountability's
 * recomputeCaseAnswers (the same function the investigator page runs in the browser); the first
 * difference is the problem.
 */
function recomputeAnswers(
  d: Record<string, unknown>,
  answers: unknown,
  refs: ReadonlyArray<readonly SharedRefSite[]>,
  proven: readonly ProvenEntry[],
): AnswerCheck {
  const { recomputed, difference } = recomputeCaseAnswers({ accountability: answers, findings: d['findings'] }, proven);
  if (!difference) return { ok: true, count: recomputed };
  const { outputId, pointer, stated } = difference;
  const writtenAt = sharedLocation(pointer, refs);
  const where = writtenAt === pointer ? '' : ` (written once for the answers that share it, at ${writtenAt})`;
  return {
    ok: false,
    problem: {
      kind: 'answer-differs',
      detail: `the bundle's answer for output ${outputId} differs at ${pointer}${where} from the one computed from its proven entries: it states ${JSON.stringify(stated)}, the entries give ${JSON.stringify(difference.recomputed)}`,
      evidence: { outputId, pointer, writtenAt, recomputed: difference.recomputed, stated },
    },
  };
}

/** Step 4, for the case's recommendations when the bundle states them: recomputed from the proven entries (recommendationsDifference). */
function recomputeRecommendations(d: Record<string, unknown>, caseId: string, proven: readonly ProvenEntry[]): CaseBundleProblem | null {
  if (!Object.hasOwn(d, 'recommendations')) return null;
  const { difference } = recommendationsRecomputation(d['recommendations'], caseId, proven);
  if (!difference) return null;
  const pointer = `/recommendations${difference.pointer}`;
  return {
    kind: 'recommendations-differ',
    detail: `the bundle's recommendations differ at ${pointer} from those computed from its proven entries: it states ${JSON.stringify(difference.stated)}, the entries give ${JSON.stringify(difference.recomputed)}`,
    evidence: { pointer, recomputed: difference.recomputed ?? null, stated: difference.stated ?? null },
  };
}

function openCheckpoint(
  listed: WireCheckpoint,
  settings: CaseBundleSettings,
): { ok: true; checkpoint: Checkpoint } | { ok: false; problem: CaseBundleProblem } {
  let checkpoint: Checkpoint;
  try {
    checkpoint = verifyCheckpoint(listed.note, settings.key, settings.origin);
  } catch (err) {
    if (!(err instanceof NoteError)) throw err;
    const base = { checkpointSize: listed.treeSize, evidence: { code: err.code, reason: err.message, checkpoint: listed } };
    if (err.code === 'CHECKPOINT.ORIGIN_MISMATCH') {
      return {
        ok: false,
        problem: {
          kind: 'checkpoint-origin-mismatch',
          ...base,
          detail: `the checkpoint is for another log: ${err.message}`,
          evidence: { ...base.evidence, expectedOrigin: settings.origin },
        },
      };
    }
    if (err.code === 'CHECKPOINT.MALFORMED') {
      return {
        ok: false,
        problem: {
          kind: 'checkpoint-malformed',
          checkpointSize: listed.treeSize,
          detail: `the checkpoint ${err.message}`,
          evidence: { reason: err.message, checkpoint: listed },
        },
      };
    }
    return {
      ok: false,
      problem: { kind: 'checkpoint-bad-signature', ...base, detail: `the checkpoint is not signed by the trusted key: ${err.message}` },
    };
  }
  const problem = listingProblem(listed, checkpoint, 'the checkpoint');
  return problem ? { ok: false, problem } : { ok: true, checkpoint };
}

/**
 * Checks every `evidence` array anywhere under `value` (objects in key order, arrays by index):
 * each member it cites MUST be a number `isVerified` accepts. Returns how many citations were
 * accepted before the first that is not, and that one with its JSON Pointer (`pointer` is the
 * prefix); `links`: whether a member named `inclusionProofs` was met (at any depth, up to there).
 * Allocates nothing while the citations hold: a case's answers are most of its bundle, and the
 * pointer is only needed for the citation that fails.
 */
export function checkCitations(
  value: unknown,
  pointer: string,
  isVerified: (seq: number) => boolean,
): { citations: number; links: boolean; unverified: { pointer: string; seq: unknown } | null } {
  const path: Array<string | number> = [];
  let citations = 0;
  let links = false;
  const at = (last: number) => `${pointer}${path.map((k) => `/${k}`).join('')}/${last}`;
  const walk = (v: unknown): { pointer: string; seq: unknown } | null => {
    if (typeof v !== 'object' || v === null) return null;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i += 1) {
        path.push(i);
        const bad = walk(v[i]);
        if (bad) return bad;
        path.pop();
      }
      return null;
    }
    // for…in: JSON objects have only own members, and it allocates no key list.
    for (const key in v) {
      if (key === 'inclusionProofs') links = true;
      const child = (v as Record<string, unknown>)[key];
      if (typeof child !== 'object' || child === null) continue;
      path.push(key);
      if (key === 'evidence' && Array.isArray(child)) {
        for (let i = 0; i < child.length; i += 1) {
          const seq: unknown = child[i];
          if (typeof seq !== 'number' || !isVerified(seq)) return { pointer: at(i), seq };
          citations += 1;
        }
      } else {
        const bad = walk(child);
        if (bad) return bad;
      }
      path.pop();
    }
    return null;
  };
  const unverified = walk(value);
  return { citations, links, unverified };
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
  for (const [field, recordedAs] of CASE_CLAIM_FIELDS) {
    if (canonical(claims[field]) !== canonical(data[recordedAs])) return { field, claimed: claims[field], recorded: data[recordedAs] };
  }
  return null;
}

/** JSON with sorted keys, for comparing claims with recorded data regardless of key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** "seq 41", "checkpoint of size 30", or both, for messages. */
export function caseProblemLocation(problem: CaseBundleProblem): string {
  const parts: string[] = [];
  if (problem.kind === 'answer-differs') parts.push(`output ${problem.evidence.outputId}, ${problem.evidence.pointer}`);
  if (problem.kind === 'recommendations-differ') parts.push(problem.evidence.pointer);
  if (problem.kind === 'report-differs') parts.push(`report ${problem.evidence.part}`);
  if (problem.seq !== undefined) parts.push(`seq ${problem.seq}`);
  if (problem.checkpointSize !== undefined) parts.push(`checkpoint of size ${problem.checkpointSize}`);
  return parts.length > 0 ? parts.join(', ') : 'the bundle';
}

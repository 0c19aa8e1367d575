import { parseCheckpoint, type Checkpoint } from './checkpoint';
import { HASH_SIZE } from './hashing';
import { ProofError, verifyConsistency } from './merkle';
import { NoteError, openNote, parseNote } from './signed-note';
import { decodeStrictBase64 } from './strict-base64';

// C2SP tlog-witness (https://c2sp.org/tlog-witness) `add-checkpoint`, the pure half: the request
// body, and the witness's decision given what it holds for the log. The HTTP server, the clock,
// the key and the durable state are the caller's.
//
//   POST <prefix>/add-checkpoint
//   old <size>\n
//   <base64 consistency proof hash>\n   (0 to 63)
//   \n
//   <checkpoint note>

/** C2SP: a client MUST NOT send more than 63 consistency proof lines. */
export const MAX_PROOF_LINES = 63;
/** The media type of a 409 body: the witness's size in decimal and a newline. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

/** A parsed `add-checkpoint` body. `note` is the submitted checkpoint, unverified. */
export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly proof: readonly Buffer[];
  readonly note: string;
}

/** What a witness holds per log origin: the latest checkpoint it cosigned. */
export interface WitnessedCheckpoint {
  readonly size: number;
  readonly rootHash: Buffer;
}

/** The trusted key(s) of one log, by origin. */
export interface WitnessedLog {
  readonly origin: string;
  readonly keys: ReadonlyArray<{ name: string; keyId: Buffer; publicKey: Buffer }>;
}

/**
 * The witness's answer, before any I/O. Only `cosign` may be followed by a cosignature, and only
 * after `next` is durably stored (atomically with the check, C2SP's race note).
 *
 * - `cosign`: store `next` for `origin`, then answer 200 with a cosignature over `body`.
 * - `conflict` (409): `oldSize` is not the size held, or the same size with another root.
 * - `bad-proof` (422): the consistency proof does not verify from the held checkpoint.
 * - `bad-signature` (403): no signature verifies under a key trusted for the origin.
 * - `unknown-log` (404): the origin is not one the witness follows.
 * - `malformed` (400): the body, the checkpoint or the sizes are not well formed.
 */
export type WitnessDecision =
  | { readonly kind: 'cosign'; readonly origin: string; readonly body: string; readonly next: WitnessedCheckpoint }
  | { readonly kind: 'conflict'; readonly origin: string; readonly heldSize: number; readonly reason: string }
  | { readonly kind: 'bad-proof'; readonly origin: string; readonly reason: string }
  | { readonly kind: 'bad-signature'; readonly origin: string; readonly reason: string }
  | { readonly kind: 'unknown-log'; readonly origin: string }
  | { readonly kind: 'malformed'; readonly reason: string };

/** The HTTP status C2SP assigns to each decision. */
export const WITNESS_STATUS: Readonly<Record<WitnessDecision['kind'], number>> = {
  cosign: 200,
  conflict: 409,
  'bad-proof': 422,
  'bad-signature': 403,
  'unknown-log': 404,
  malformed: 400,
};

/** Formats an `add-checkpoint` request body. `note` MUST be a signed checkpoint note. */
export function formatAddCheckpointRequest(oldSize: number, proof: readonly Buffer[], note: string): string {
  if (!Number.isSafeInteger(oldSize) || oldSize < 0) throw new RangeError(`old size ${oldSize} is not a non-negative integer`);
  if (proof.length > MAX_PROOF_LINES)
    throw new RangeError(`a consistency proof of ${proof.length} hashes is longer than ${MAX_PROOF_LINES}`);
  return `old ${oldSize}\n${proof.map((hash) => `${hash.toString('base64')}\n`).join('')}\n${note}`;
}

/**
 * Parses an `add-checkpoint` body strictly: `old <decimal without leading zeros>`, at most 63
 * canonical base64 lines of 32 bytes, a blank line, then the note (returned unparsed). Throws
 * `NoteError` `NOTE.MALFORMED` with the reason.
 */
export function parseAddCheckpointRequest(text: string): AddCheckpointRequest {
  const bad = (reason: string) => new NoteError('NOTE.MALFORMED', `Malformed add-checkpoint request: ${reason}`, { reason });
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw bad('no blank line before the checkpoint');
  const head = text.slice(0, blank).split('\n');
  const note = text.slice(blank + 2);
  const match = /^old (0|[1-9][0-9]*)$/.exec(head[0]!);
  if (match === null) throw bad('the first line is not "old <size>"');
  const oldSize = Number(match[1]);
  if (!Number.isSafeInteger(oldSize)) throw bad('the old size is larger than 2^53 - 1');
  const lines = head.slice(1);
  if (lines.length > MAX_PROOF_LINES) throw bad(`more than ${MAX_PROOF_LINES} consistency proof lines`);
  const proof = lines.map((line, i) => {
    const hash = decodeStrictBase64(line);
    if (hash === undefined || hash.length !== HASH_SIZE) throw bad(`proof line ${i + 1} is not the base64 of a 32-byte hash`);
    return hash;
  });
  return { oldSize, proof, note };
}

/**
 * Decides an `add-checkpoint` request, in the order C2SP gives: a well-formed body and note
 * (400), a known origin (404), a signature by a trusted log key (403), old size ≤ checkpoint size
 * (400), old size equal to the size held (409, the held size in the answer), the same root when
 * the sizes are equal (409), then the consistency proof from the held checkpoint (422; empty when
 * nothing is held). Invariants, whatever the input: a `cosign` never has a smaller size than
 * `held`, and never a different root at `held`'s size; so a witness that stores every `next`
 * before answering cannot cosign both sides of a fork, nor a rollback.
 */
export function decideAddCheckpoint(
  logs: readonly WitnessedLog[],
  held: (origin: string) => WitnessedCheckpoint | undefined,
  requestBody: string,
): WitnessDecision {
  let request: AddCheckpointRequest;
  let body: string;
  let checkpoint: Checkpoint;
  try {
    request = parseAddCheckpointRequest(requestBody);
    body = parseNote(request.note).body;
    checkpoint = parseCheckpoint(body);
  } catch (err) {
    if (err instanceof NoteError) return { kind: 'malformed', reason: err.message };
    throw err;
  }
  const { origin } = checkpoint;
  const log = logs.find((l) => l.origin === origin);
  if (log === undefined) return { kind: 'unknown-log', origin };
  try {
    openNote(request.note, log.keys);
  } catch (err) {
    if (err instanceof NoteError) return { kind: 'bad-signature', origin, reason: err.message };
    throw err;
  }
  if (request.oldSize > checkpoint.size)
    return { kind: 'malformed', reason: `old size ${request.oldSize} is larger than the checkpoint size ${checkpoint.size}` };
  const current = held(origin);
  const heldSize = current?.size ?? 0;
  if (request.oldSize !== heldSize) {
    return { kind: 'conflict', origin, heldSize, reason: `old size ${request.oldSize} is not the size ${heldSize} this witness holds` };
  }
  const next = { size: checkpoint.size, rootHash: checkpoint.rootHash };
  if (current === undefined) {
    if (request.proof.length > 0) return { kind: 'bad-proof', origin, reason: 'a proof from size 0 must be empty' };
    return { kind: 'cosign', origin, body, next };
  }
  if (current.size === checkpoint.size) {
    if (!current.rootHash.equals(checkpoint.rootHash)) {
      return {
        kind: 'conflict',
        origin,
        heldSize,
        reason: `size ${heldSize} is held with another root hash: this checkpoint forks the log`,
      };
    }
    if (request.proof.length > 0) return { kind: 'bad-proof', origin, reason: 'a proof between equal sizes must be empty' };
    return { kind: 'cosign', origin, body, next };
  }
  try {
    verifyConsistency(current.size, checkpoint.size, current.rootHash, checkpoint.rootHash, request.proof);
  } catch (err) {
    if (err instanceof ProofError)
      return { kind: 'bad-proof', origin, reason: `the consistency proof from size ${current.size} does not verify: ${err.message}` };
    throw err;
  }
  return { kind: 'cosign', origin, body, next };
}

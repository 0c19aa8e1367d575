import { HASH_SIZE } from './hashing';
import { NoteError, openNote, signNote, type NoteSigner } from './signed-note';
import { decodeStrictBase64 } from './strict-base64';

// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): a signed note whose body is
//
//   <origin>\n<tree size, decimal>\n<base64 RFC 9162 root hash>\n[<extension line>\n ...]

/**
 * A log's signed tree head. Invariants (checked by `formatCheckpoint` and `parseCheckpoint`):
 * `origin` is non-empty, one line, no control characters, and identifies the log (by convention
 * also the signing key's name); `size` is the number of leaves, a non-negative safe integer;
 * `rootHash` is the 32-byte RFC 9162 root of the first `size` leaves; each extension is a
 * non-empty line. Extensions are opaque and not auditable by monitors; C2SP recommends none.
 */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
  readonly extensions: readonly string[];
}

/**
 * The checkpoint body `origin\nsize\nbase64(rootHash)\n` followed by one line per extension.
 * Throws `NoteError` `CHECKPOINT.MALFORMED` if `cp` breaks an invariant of `Checkpoint`, so an
 * unparseable checkpoint can never be signed. `parseCheckpoint(formatCheckpoint(cp))` equals `cp`.
 */
export function formatCheckpoint(cp: Checkpoint): string {
  const bad = (reason: string) =>
    new NoteError('CHECKPOINT.MALFORMED', `Cannot format checkpoint: ${reason}`, {
      reason,
      origin: cp.origin,
      size: cp.size,
      rootHash: Buffer.from(cp.rootHash).toString('hex'),
      extensions: [...cp.extensions],
    });
  const originProblem = lineProblem(cp.origin);
  if (originProblem !== undefined) throw bad(`origin ${originProblem}`);
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) throw bad('size is not a non-negative safe integer');
  if (cp.rootHash.length !== HASH_SIZE) throw bad(`root hash is ${cp.rootHash.length} bytes, not ${HASH_SIZE}`);
  cp.extensions.forEach((extension, i) => {
    const problem = lineProblem(extension);
    if (problem !== undefined) throw bad(`extension ${i} ${problem}`);
  });
  const lines = [cp.origin, String(cp.size), Buffer.from(cp.rootHash).toString('base64'), ...cp.extensions];
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * Parses a checkpoint body (the text of an opened note), strictly: at least three lines each
 * ending in "\n"; a non-empty origin; a decimal size with no sign and no leading zero (except
 * `0`) that is a safe integer; a canonical base64 root of exactly 32 bytes; non-empty extension
 * lines; no control characters. Throws `NoteError` `CHECKPOINT.MALFORMED` naming the line.
 *
 * The body MUST come from `openNote`/`verifyCheckpoint` (or be otherwise authenticated): parsing
 * alone says nothing about who vouches for it.
 */
export function parseCheckpoint(body: string): Checkpoint {
  const bad = (reason: string, line?: number) =>
    new NoteError('CHECKPOINT.MALFORMED', `Malformed checkpoint: ${reason}`, { reason, body, ...(line ? { line } : {}) });
  if (!body.endsWith('\n')) throw bad('it does not end with a newline');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) throw bad(`it has ${lines.length} lines, not at least 3 (origin, size, root hash)`);
  lines.forEach((line, i) => {
    const problem = lineProblem(line);
    if (problem !== undefined) throw bad(`line ${i + 1} ${problem}`, i + 1);
  });
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (!/^(?:0|[1-9][0-9]*)$/.test(sizeText)) throw bad(`size ${JSON.stringify(sizeText)} is not a decimal without leading zeros`, 2);
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw bad(`size ${sizeText} is larger than 2^53 - 1`, 2);
  const rootHash = decodeStrictBase64(rootText);
  if (rootHash === undefined) throw bad('root hash is not canonical base64', 3);
  if (rootHash.length !== HASH_SIZE) throw bad(`root hash is ${rootHash.length} bytes, not ${HASH_SIZE}`, 3);
  return { origin, size, rootHash, extensions };
}

/**
 * The signed note of `formatCheckpoint(cp)` with one signature by each signer, in order (see
 * `signNote`): the log's key, and during a key rotation the next key as well.
 */
export function signCheckpoint(cp: Checkpoint, ...signers: [NoteSigner, ...NoteSigner[]]): string {
  return signNote(formatCheckpoint(cp), signers);
}

/**
 * Opens a checkpoint note with one trusted log key and parses it. Throws `NoteError`: the
 * `openNote` codes (bad or missing signature by `verifier`), `CHECKPOINT.MALFORMED`, or
 * `CHECKPOINT.ORIGIN_MISMATCH` when `expectedOrigin` is given and differs from the origin line.
 * Other signatures on the note (witness cosignatures) are ignored. Callers SHOULD pass
 * `expectedOrigin`: one key may sign for several logs, and only the origin line says which.
 */
export function verifyCheckpoint(
  note: string,
  verifier: { name: string; keyId: Buffer; publicKey: Buffer },
  expectedOrigin?: string,
): Checkpoint {
  const { body } = openNote(note, [verifier]);
  const checkpoint = parseCheckpoint(body);
  if (expectedOrigin !== undefined && checkpoint.origin !== expectedOrigin) {
    throw new NoteError('CHECKPOINT.ORIGIN_MISMATCH', `Checkpoint is for ${checkpoint.origin}, not ${expectedOrigin}`, {
      expected: expectedOrigin,
      actual: checkpoint.origin,
      body,
    });
  }
  return checkpoint;
}

/** Why `line` cannot be a checkpoint line, if it cannot. */
function lineProblem(line: string): string | undefined {
  if (line === '') return 'is empty';
  if (/[\u0000-\u001f]/.test(line)) return 'contains a newline or control character';
  return undefined;
}

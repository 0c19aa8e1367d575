import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { hash } from 'node:crypto';
import {
  decodeLogExportHeader,
  LOG_EXPORT_FORMAT,
  locateEntryLine,
  MAX_LINE_BYTES,
  type EntryLineLayout,
  type LogExportHeader,
} from './log-export-format';
import { LogVerifier } from './log-verifier';
import type { VerificationProblem } from './verification-problem';
import { VerifierSetupError } from './verifier-setup.error';
import type { VerifyLogOptions, VerifyLogResult } from './verify-log';

/** How much of a file is read to tell a log export from a JSON bundle: a header line is far shorter. */
const HEADER_PROBE_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * The header of the log export at `path`, or null when the file is not one (then it may be a
 * JSON bundle). Throws `VerifierSetupError` `SOURCE.BUNDLE_UNREADABLE`, or `SOURCE.BUNDLE_INVALID`
 * for a file that says it is a log export but whose header is not the documented shape.
 */
export async function readLogExportHeader(path: string): Promise<LogExportHeader | null> {
  let probe: Buffer;
  try {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(HEADER_PROBE_BYTES);
      const { bytesRead } = await file.read(buffer, 0, HEADER_PROBE_BYTES, 0);
      probe = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (err) {
    throw new VerifierSetupError('SOURCE.BUNDLE_UNREADABLE', `cannot read bundle ${path}: ${(err as Error).message}`, { path });
  }
  const newline = probe.indexOf(NEWLINE);
  if (newline < 0) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(probe.toString('utf8', 0, newline));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== LOG_EXPORT_FORMAT) return null;
  const header = decodeLogExportHeader(raw);
  if (!header.ok) throw new VerifierSetupError('SOURCE.BUNDLE_INVALID', `log export ${path}: its header ${header.reason}`, { path });
  return header.value;
}

/**
 * Verifies the log export at `path` (header already read with `readLogExportHeader`) streamed:
 * the file is read in chunks with backpressure (the next chunk is read once this one is
 * checked), each line is checked as it comes and dropped, and the engine keeps O(log n) tree
 * state plus the verified checkpoints, so memory does not grow with the entries. The checks and
 * the result are those of `verifyLog` over any source; a line that is neither an entry, a
 * checkpoint nor the end line, a missing or wrong end line, and anything after it are
 * `export-malformed`. I/O failures are thrown as `VerifierSetupError`s.
 */
export async function verifyLogExport(path: string, header: LogExportHeader, options: VerifyLogOptions): Promise<VerifyLogResult> {
  const engine = new LogVerifier({
    key: options.key,
    origin: options.origin,
    checkpoints: header.latest ? [header.latest] : [],
    trusted: options.trusted,
    eventKeys: options.eventKeys ?? null,
  });
  const reader = new ExportLineReader(engine, header.entries);
  if (!engine.done) {
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    let carry: Buffer | null = null;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        carry = reader.chunk(carry, chunk);
        options.onProgress?.(engine.entriesVerified, engine.claimedSize);
        if (engine.done) break;
      }
    } catch (err) {
      throw new VerifierSetupError('SOURCE.BUNDLE_UNREADABLE', `cannot read bundle ${path}: ${(err as Error).message}`, { path });
    } finally {
      stream.destroy();
    }
    if (!engine.done && carry !== null && carry.length > 0) reader.line(carry, 0, carry.length);
    if (!engine.done) reader.end();
  }
  return { ...engine.finish(), consistencyProofs: 0 };
}

/** Splits chunks into lines and feeds each to the engine; line 1 (the header) was read before. */
class ExportLineReader {
  private lineNumber = 0;
  private checkpointLines = 0;
  private ended: { entries: unknown; checkpoints: unknown } | null = null;
  /** Scratch space for the stored hashes of the line at hand: `pushHashed` only compares them. */
  private readonly storedLeaf = Buffer.alloc(32);
  private readonly storedChain = Buffer.alloc(32);

  constructor(
    private readonly engine: LogVerifier,
    private readonly announcedEntries: number,
  ) {}

  /** Feeds the lines completed by `chunk`; returns the unfinished tail to prepend to the next chunk. */
  chunk(carry: Buffer | null, chunk: Buffer): Buffer | null {
    let start = 0;
    if (carry !== null) {
      // Only the line that straddles the two chunks is copied; the rest is read in place.
      const newline = chunk.indexOf(NEWLINE);
      if (newline < 0) return this.tail(Buffer.concat([carry, chunk]));
      const joined = Buffer.concat([carry, chunk.subarray(0, newline)]);
      this.line(joined, 0, joined.length);
      start = newline + 1;
    }
    while (!this.engine.done) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline < 0) break;
      this.line(chunk, start, newline);
      start = newline + 1;
    }
    return this.engine.done || start >= chunk.length ? null : this.tail(chunk.subarray(start));
  }

  private tail(rest: Buffer): Buffer | null {
    if (rest.length <= MAX_LINE_BYTES) return rest;
    this.malformed(`line ${this.lineNumber + 1} is longer than ${MAX_LINE_BYTES} bytes`);
    return null;
  }

  /** One line, [start, end) of `buf`, without its newline. */
  line(buf: Buffer, start: number, end: number): void {
    this.lineNumber += 1;
    if (this.lineNumber === 1) return;
    if (this.ended) {
      this.malformed(`line ${this.lineNumber} comes after the end line`);
      return;
    }
    const layout = locateEntryLine(buf, start, end);
    if (layout) {
      this.entry(buf, start, end, layout);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(buf.toString('utf8', start, end));
    } catch (err) {
      this.unreadable(buf, start, end, `is not JSON (${(err as Error).message})`);
      return;
    }
    const item = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    if ('seq' in item) this.engine.push([wireEntry(item)]);
    else if ('checkpoint' in item) {
      this.checkpointLines += 1;
      this.engine.pushCheckpoint(item['checkpoint']);
    } else if ('end' in item && typeof item['end'] === 'object' && item['end'] !== null)
      this.ended = item['end'] as { entries: unknown; checkpoints: unknown };
    else this.unreadable(buf, start, end, 'is neither an entry, a checkpoint nor the end line');
  }

  private entry(buf: Buffer, start: number, end: number, at: EntryLineLayout): void {
    const storedLeaf = decodeHex(buf, at.leafHashAt, this.storedLeaf);
    const storedChain = decodeHex(buf, at.chainHashAt, this.storedChain);
    const raw = () => {
      const text = buf.toString('utf8', start, end);
      try {
        return wireEntry(JSON.parse(text) as Record<string, unknown>);
      } catch {
        return text;
      }
    };
    if (!storedLeaf || !storedChain) {
      this.engine.push([raw()]);
      return;
    }
    // RFC 9162 leaf hash, SHA-256(0x00 || entry bytes), in one call over the bytes in place: the
    // byte before the entry (the `:` of `"entry":`) stands in for the 0x00 prefix meanwhile.
    const colon = buf[at.entryStart - 1]!;
    buf[at.entryStart - 1] = 0;
    const leaf = hash('sha256', buf.subarray(at.entryStart - 1, at.entryEnd), 'buffer');
    buf[at.entryStart - 1] = colon;
    this.engine.pushHashed(at.seq, leaf, storedLeaf, storedChain, raw);
  }

  /** After the last line: the end line must be there and agree with what was read. */
  end(): void {
    const outcome = this.engine.finish();
    if (!outcome.ok) return;
    let reason: string | null = null;
    if (!this.ended) reason = `the file ends after line ${this.lineNumber} without the end line: it was cut short`;
    else if (outcome.entries !== this.announcedEntries)
      reason = `the header announces ${this.announcedEntries} entries, the file holds ${outcome.entries}`;
    else if (this.ended.entries !== outcome.entries || this.ended.checkpoints !== this.checkpointLines)
      reason = `the end line says ${JSON.stringify(this.ended.entries)} entries and ${JSON.stringify(this.ended.checkpoints)} checkpoints, the file holds ${outcome.entries} and ${this.checkpointLines}`;
    if (reason !== null) this.malformed(reason);
  }

  /** A line that is not JSON or not an item: an entry where one is expected, else an export problem. */
  private unreadable(buf: Buffer, start: number, end: number, reason: string): void {
    const text = buf.toString('utf8', start, Math.min(end, start + 500));
    if (text.startsWith('{"seq":')) {
      const position = this.engine.entriesVerified;
      this.engine.fail({
        kind: 'entry-malformed',
        seq: position,
        detail: `the entry at seq ${position} (line ${this.lineNumber}) ${reason}`,
        evidence: { position, reason, entry: text },
      });
      return;
    }
    this.malformed(`line ${this.lineNumber} ${reason}`, text);
  }

  private malformed(reason: string, text?: string): void {
    const problem: VerificationProblem = {
      kind: 'export-malformed',
      seq: this.engine.entriesVerified,
      detail: `the log export is not a complete ${LOG_EXPORT_FORMAT} file: ${reason}`,
      evidence: { line: this.lineNumber, reason, ...(text === undefined ? {} : { text }) },
    };
    this.engine.fail(problem);
  }
}

/** An entry line parsed as JSON, as the wire entry the engine checks (the `entry` member's fields and the stored hashes). */
function wireEntry(item: Record<string, unknown>): unknown {
  const entry = item['entry'];
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return item;
  // `v` is the encoding's version, which the engine's own encoding supplies again.
  const { v: _version, ...fields } = entry as Record<string, unknown>;
  return { ...fields, leafHash: item['leafHash'], chainHash: item['chainHash'] };
}

/** The 32 bytes written as 64 hex digits at `at` in `buf`, decoded into `into` without a string; null if one is not a hex digit. */
function decodeHex(buf: Buffer, at: number, into: Buffer): Buffer | null {
  for (let i = 0; i < 32; i += 1) {
    const high = HEX_VALUE[buf[at + 2 * i]!]!;
    const low = HEX_VALUE[buf[at + 2 * i + 1]!]!;
    if (high > 15 || low > 15) return null;
    into[i] = (high << 4) | low;
  }
  return into;
}

/** Each byte's value as a hex digit (either case), or 255. */
const HEX_VALUE = (() => {
  const table = new Uint8Array(256).fill(255);
  for (let d = 0; d < 10; d += 1) table[0x30 + d] = d;
  for (let d = 0; d < 6; d += 1) {
    table[0x41 + d] = 10 + d;
    table[0x61 + d] = 10 + d;
  }
  return table;
})();

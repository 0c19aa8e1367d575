import { entryText, type LedgerEntry } from '@aal/ledger-core';
import { decodeCheckpoint, type Decoded, type WireCheckpoint } from './wire-format';

/**
 * The streamed whole-log export (`ledger export`, also the backup format): newline-delimited JSON,
 * one line per item, so a log of any size is written and verified in bounded memory.
 *
 *   line 1          header     {"format":"aal-log-export/v1","origin":…,"verifierKey":…,"keyName":…,"exportedAt":…,"entries":N,"latest":<checkpoint>|null}
 *   then, in order  entry      {"seq":0,"leafHash":"<hex>","chainHash":"<hex>","entry":<the entry's aal-entry-v1 encoding, byte for byte>}
 *                   checkpoint {"checkpoint":<checkpoint as GET /checkpoints lists it>}, right after the entry line of seq treeSize − 1
 *   last line       end        {"end":{"entries":N,"checkpoints":K}}
 *
 * The `entry` member is the entry's canonical encoding (`encodeEntry`) as written: its UTF-8 bytes
 * are the Merkle leaf data, so a reader hashes them in place, without parsing or re-encoding. The
 * header's `latest` (the newest checkpoint exported, also repeated in its place) lets a verifier
 * check rollback against its trust state before reading, and notice a file cut short. `entries`
 * in the header and the end line are counts; the end line tells a complete file from one cut at
 * a line boundary after its last checkpoint. Only signed notes are trusted, as in every source.
 */
export const LOG_EXPORT_FORMAT = 'aal-log-export/v1';

/** The first line of a log export. */
export interface LogExportHeader {
  readonly format: typeof LOG_EXPORT_FORMAT;
  /** Announced by the ledger; a verifier uses the pinned key and origin instead. */
  readonly origin: string;
  readonly verifierKey: string;
  readonly exportedAt: string;
  /** How many entry lines follow (seq 0 to entries − 1). */
  readonly entries: number;
  /** The newest checkpoint in the file (tree size ≤ entries), or null when none is. */
  readonly latest: WireCheckpoint | null;
}

/** A line is never longer than this: a Kafka value (≤ 1 MiB by default) in base64 with its headers fits many times over. */
export const MAX_LINE_BYTES = 16 * 2 ** 20;

export function logExportHeaderLine(header: Omit<LogExportHeader, 'format'>): string {
  return `${JSON.stringify({ format: LOG_EXPORT_FORMAT, ...header })}\n`;
}

/** One entry line; `leafHash` and `chainHash` are the hashes the ledger stored with the entry. */
export function logExportEntryLine(entry: LedgerEntry, leafHash: Uint8Array, chainHash: Uint8Array): string {
  return `{"seq":${entry.seq},"leafHash":"${hex(leafHash)}","chainHash":"${hex(chainHash)}","entry":${entryText(entry)}}\n`;
}

export function logExportCheckpointLine(checkpoint: WireCheckpoint): string {
  return `${JSON.stringify({ checkpoint })}\n`;
}

export function logExportEndLine(entries: number, checkpoints: number): string {
  return `${JSON.stringify({ end: { entries, checkpoints } })}\n`;
}

/** Checks the header line's shape (the checkpoint in it is checked later, by signature). */
export function decodeLogExportHeader(raw: unknown): Decoded<LogExportHeader> {
  const fail = (reason: string): Decoded<never> => ({ ok: false, reason });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('is not a JSON object');
  const d = raw as Record<string, unknown>;
  if (d['format'] !== LOG_EXPORT_FORMAT) return fail(`has format ${JSON.stringify(d['format'])}, not ${JSON.stringify(LOG_EXPORT_FORMAT)}`);
  if (typeof d['origin'] !== 'string') return fail('has no `origin` string');
  if (typeof d['verifierKey'] !== 'string') return fail('has no `verifierKey` string');
  if (typeof d['exportedAt'] !== 'string') return fail('has no `exportedAt` string');
  if (!Number.isSafeInteger(d['entries']) || (d['entries'] as number) < 0) return fail('has no `entries` count');
  let latest: WireCheckpoint | null = null;
  if (d['latest'] !== null) {
    const decoded = decodeCheckpoint(d['latest']);
    if (!decoded.ok) return fail(`has a \`latest\` checkpoint that ${decoded.reason}`);
    latest = decoded.value;
  }
  return {
    ok: true,
    value: {
      format: LOG_EXPORT_FORMAT,
      origin: d['origin'],
      verifierKey: d['verifierKey'],
      exportedAt: d['exportedAt'],
      entries: d['entries'] as number,
      latest,
    },
  };
}

/** Where the parts of an entry line lie in the buffer holding it (see `locateEntryLine`). */
export interface EntryLineLayout {
  readonly seq: number;
  /** Offsets of the 64 hex digits of each stored hash. */
  readonly leafHashAt: number;
  readonly chainHashAt: number;
  /** The `entry` member's bytes: [entryStart, entryEnd). entryStart − 1 is the `:` before it. */
  readonly entryStart: number;
  readonly entryEnd: number;
}

const SEQ_PREFIX = ascii('{"seq":');
const LEAF_KEY = ascii(',"leafHash":"');
const CHAIN_KEY = ascii('","chainHash":"');
const ENTRY_KEY = ascii('","entry":');
const ENTRY_OPEN = ascii('{"headers":{');

/**
 * The layout of an entry line exactly as `logExportEntryLine` writes it, found by fixed offsets
 * (no JSON parsing), or null for anything else: the reader then parses the line as JSON and
 * checks it as any wire entry. `line` is [start, end) of `buf`, without its newline. Also checks
 * that the `entry` member is an object and names the same seq (`,"seq":<seq>,"topic":"` occurs
 * only there in a canonical encoding: a quote inside a string is always escaped).
 */
export function locateEntryLine(buf: Buffer, start: number, end: number): EntryLineLayout | null {
  if (!matchesAt(buf, start, SEQ_PREFIX)) return null;
  let at = start + SEQ_PREFIX.length;
  let seq = 0;
  const digitsFrom = at;
  while (at < end && at - digitsFrom < 16) {
    const c = buf[at]!;
    if (c < 0x30 || c > 0x39) break;
    seq = seq * 10 + (c - 0x30);
    at += 1;
  }
  const digits = at - digitsFrom;
  if (digits === 0 || (digits > 1 && buf[digitsFrom] === 0x30) || !Number.isSafeInteger(seq)) return null;
  if (!matchesAt(buf, at, LEAF_KEY)) return null;
  const leafHashAt = at + LEAF_KEY.length;
  if (!matchesAt(buf, leafHashAt + 64, CHAIN_KEY)) return null;
  const chainHashAt = leafHashAt + 64 + CHAIN_KEY.length;
  if (!matchesAt(buf, chainHashAt + 64, ENTRY_KEY)) return null;
  const entryStart = chainHashAt + 64 + ENTRY_KEY.length;
  const entryEnd = end - 1;
  if (entryEnd <= entryStart || buf[entryEnd] !== 0x7d || buf[entryEnd - 1] !== 0x7d || buf[entryEnd - 2] !== 0x22) return null;
  if (!matchesAt(buf, entryStart, ENTRY_OPEN)) return null;
  const seqMark = buf.indexOf(`,"seq":${seq},"topic":"`, entryStart + ENTRY_OPEN.length, 'latin1');
  if (seqMark < 0 || seqMark >= entryEnd) return null;
  return { seq, leafHashAt, chainHashAt, entryStart, entryEnd };
}

function matchesAt(buf: Buffer, at: number, literal: Buffer): boolean {
  if (at + literal.length > buf.length) return false;
  for (let i = 0; i < literal.length; i += 1) if (buf[at + i] !== literal[i]) return false;
  return true;
}

function ascii(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

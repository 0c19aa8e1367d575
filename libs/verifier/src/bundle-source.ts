import { isAscii } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import type { LedgerSource } from './ledger-source';
import { VerifierSetupError } from './verifier-setup.error';
import { BUNDLE_FORMAT } from './wire-format';

/**
 * Reads an exported bundle (`aal-ledger-export/v1`, one JSON document) whole. Only the document's
 * outline is checked here (format, origin, key, two arrays); entries and checkpoints are checked
 * by the verification engine, which names the first bad one.
 */
export class BundleSource implements LedgerSource {
  private constructor(
    readonly description: string,
    private readonly origin: string,
    private readonly verifierKey: string,
    private readonly entryList: readonly unknown[],
    private readonly checkpointList: readonly unknown[],
    private readonly pageSize: number,
  ) {}

  /** Throws `VerifierSetupError` `SOURCE.BUNDLE_UNREADABLE` or `SOURCE.BUNDLE_INVALID`. */
  static async fromFile(path: string, pageSize = 1000): Promise<BundleSource> {
    return BundleSource.fromDocument(await readBundleDocument(path), path, pageSize);
  }

  /** Throws `VerifierSetupError` `SOURCE.BUNDLE_INVALID`. */
  static fromDocument(document: unknown, description: string, pageSize = 1000): BundleSource {
    const bad = (reason: string) =>
      new VerifierSetupError('SOURCE.BUNDLE_INVALID', `bundle ${description} ${reason}`, { path: description });
    if (typeof document !== 'object' || document === null || Array.isArray(document)) throw bad('is not a JSON object');
    const d = document as Record<string, unknown>;
    if (d['format'] !== BUNDLE_FORMAT) throw bad(`has format ${JSON.stringify(d['format'])}, not ${JSON.stringify(BUNDLE_FORMAT)}`);
    if (typeof d['origin'] !== 'string') throw bad('has no `origin` string');
    if (typeof d['verifierKey'] !== 'string') throw bad('has no `verifierKey` string');
    if (!Array.isArray(d['entries'])) throw bad('has no `entries` array');
    if (!Array.isArray(d['checkpoints'])) throw bad('has no `checkpoints` array');
    return new BundleSource(description, d['origin'], d['verifierKey'], d['entries'], d['checkpoints'], pageSize);
  }

  async announced(): Promise<{ origin: string; verifierKey: string }> {
    return { origin: this.origin, verifierKey: this.verifierKey };
  }

  async checkpoints(afterId?: number): Promise<unknown[]> {
    return afterId === undefined
      ? [...this.checkpointList]
      : this.checkpointList.filter((c) => typeof c === 'object' && c !== null && Number((c as { id?: unknown }).id) > afterId);
  }

  async *entries(from = 0): AsyncGenerator<unknown[]> {
    for (let i = from; i < this.entryList.length; i += this.pageSize) yield this.entryList.slice(i, i + this.pageSize);
  }
}

/**
 * Reads a bundle file as one JSON document, of whichever format (`aal-ledger-export/v1` or
 * `aal-case-export/v2` or v1). Throws `VerifierSetupError` `SOURCE.BUNDLE_UNREADABLE` or `SOURCE.BUNDLE_INVALID`.
 */
export async function readBundleDocument(path: string): Promise<unknown> {
  let text: string;
  try {
    const bytes = await readFile(path);
    // ASCII (as the ledger writes exports, see asciiJson) is its own UTF-8 and its own Latin-1:
    // copied byte for byte into a string, without UTF-8 decoding. Anything else is decoded as UTF-8.
    text = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  } catch (err) {
    throw new VerifierSetupError('SOURCE.BUNDLE_UNREADABLE', `cannot read bundle ${path}: ${(err as Error).message}`, { path });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new VerifierSetupError('SOURCE.BUNDLE_INVALID', `bundle ${path} is not JSON: ${(err as Error).message}`, { path });
  }
}

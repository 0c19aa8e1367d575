import { NoteError, parseWitnessVerifierKey, type WitnessKey } from '@aal/ledger-core';

/** One witness the ledger asks for cosignatures: its submission prefix and its verifier key. */
export interface WitnessEndpoint {
  /** The submission prefix; requests go to `<url>/add-checkpoint`. */
  readonly url: string;
  /** The witness verifier key string (type 0x04), as configured. */
  readonly verifierKey: string;
  readonly key: WitnessKey;
}

export interface WitnessSettings {
  readonly witnesses: readonly WitnessEndpoint[];
  /** How often the latest checkpoint is submitted to every witness (default 60 000 ms). */
  readonly intervalMs: number;
  /** Per request; a witness slower than this counts as down for that round. */
  readonly timeoutMs: number;
  /** Readiness reports a witness as behind after this many intervals without a cosignature. */
  readonly behindAfterIntervals: number;
}

export const DEFAULT_WITNESS_INTERVAL_MS = 60_000;

/** Thrown at start-up for a `WITNESSES` value that cannot be used. */
export class WitnessConfigError extends Error {}

/**
 * Parses `WITNESSES`: comma-separated `<url>=<witness verifier key>`, e.g.
 * `http://127.0.0.1:3010=regulator.example/witness+1a2b3c4d+BH...`. The URL is split off at the
 * first "=" (so a witness URL cannot contain one; base64 keys can). Empty or absent: no witness.
 */
export function parseWitnesses(text: string | undefined): WitnessEndpoint[] {
  if (text === undefined || text.trim() === '') return [];
  const witnesses = text.split(',').map((item) => {
    const entry = item.trim();
    const at = entry.indexOf('=');
    if (at <= 0) throw new WitnessConfigError(`WITNESSES entry ${JSON.stringify(entry)}: expected <url>=<witness verifier key>`);
    const url = entry.slice(0, at).replace(/\/+$/, '');
    if (!/^https?:\/\/[^\s]+$/.test(url))
      throw new WitnessConfigError(`WITNESSES entry ${JSON.stringify(entry)}: ${JSON.stringify(url)} is not an http(s) URL`);
    const verifierKey = entry.slice(at + 1);
    try {
      return { url, verifierKey, key: parseWitnessVerifierKey(verifierKey) };
    } catch (err) {
      if (err instanceof NoteError) throw new WitnessConfigError(`WITNESSES entry for ${url}: ${err.message}`);
      throw err;
    }
  });
  const names = witnesses.map((w) => w.key.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) throw new WitnessConfigError(`WITNESSES names witness ${repeated} twice`);
  return witnesses;
}

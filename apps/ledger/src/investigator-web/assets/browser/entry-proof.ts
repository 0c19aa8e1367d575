/**
 * The investigator page's proof code: RFC 9162 leaf and node hashes, inclusion proofs, and the
 * C2SP signed-note checkpoint, with WebCrypto only (no Node API), so that it runs in the browser.
 * scripts/bundle-web.js bundles it with @aal/accountability into /investigate/accountability.js
 * (the global `AalAccountability`); the page's script calls it from there. The entry encoding
 * here MUST stay byte-identical to libs/ledger-core's `encodeEntry` (a property test holds it).
 */

/** An entry as a case export or replay carries it: the hashed content, the value in base64. */
export interface BrowserEntry {
  readonly seq: number;
  readonly recordedAt: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly value: string;
}

const utf8 = new TextEncoder();

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(text: unknown): Uint8Array {
  if (typeof text !== 'string' || !/^([0-9a-f]{2})*$/.test(text)) throw new Error(`not lowercase hex: ${String(text).slice(0, 80)}`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
  return out;
}

export function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

/** The entry's canonical text (aal-entry-v1), exactly as libs/ledger-core encodeEntry writes it. */
export function entryText(e: BrowserEntry): string {
  if (!Number.isSafeInteger(e.seq) || !Number.isSafeInteger(e.partition)) throw new Error('entry seq and partition must be safe integers');
  if (typeof e.recordedAt !== 'string' || typeof e.topic !== 'string' || typeof e.offset !== 'string' || typeof e.value !== 'string')
    throw new Error('entry fields are missing');
  const h = e.headers ?? {};
  const headers = Object.keys(h)
    .sort()
    .filter((k) => h[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(h[k]))}`)
    .join(',');
  return (
    `{"headers":{${headers}},"offset":${JSON.stringify(e.offset)},"partition":${e.partition},` +
    `"recordedAt":${JSON.stringify(e.recordedAt)},"seq":${e.seq},"topic":${JSON.stringify(e.topic)},` +
    `"v":"aal-entry-v1","value":${JSON.stringify(e.value)}}`
  );
}

/** RFC 9162 leaf hash, SHA-256(0x00 || entry text). */
export function leafHashOf(entry: BrowserEntry): Promise<Uint8Array> {
  return sha256(concat(new Uint8Array([0]), utf8.encode(entryText(entry))));
}

function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(new Uint8Array([1]), left, right));
}

/** RFC 9162 §2.1.3.2: the root that `proof` leads to from leaf `index` of a tree of `size`. */
export async function rootFromInclusionProof(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): Promise<Uint8Array> {
  if (!(index < size)) throw new Error(`leaf ${index} is not inside a tree of size ${size}`);
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (p.length !== 32) throw new Error('a proof hash is not 32 bytes');
    if (sn === 0) throw new Error(`the proof is longer than a tree of size ${size} allows`);
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = fn / 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error(`the proof is shorter than a tree of size ${size} needs`);
  return r;
}

export interface BrowserVerifierKey {
  readonly name: string;
  readonly keyId: string;
  readonly key: Awaited<ReturnType<typeof crypto.subtle.importKey>>;
  readonly text: string;
}

/** A C2SP verifier key <name>+<key id>+<base64(0x01 || Ed25519 key)>, checked and imported. */
export async function parseVerifierKey(text: string): Promise<BrowserVerifierKey> {
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first <= 0 || second < 0) throw new Error('the verifier key is not <name>+<key ID>+<key>');
  const name = text.slice(0, first);
  const keyId = text.slice(first + 1, second);
  const raw = fromBase64(text.slice(second + 1));
  if (raw.length !== 33 || raw[0] !== 1) throw new Error('the verifier key is not an Ed25519 key');
  const derived = hex((await sha256(concat(utf8.encode(name), new Uint8Array([0x0a, 0x01]), raw.subarray(1)))).subarray(0, 4));
  if (derived !== keyId.toLowerCase()) throw new Error(`the verifier key ID ${keyId} does not match its name and key`);
  const key = await crypto.subtle.importKey('raw', raw.subarray(1), { name: 'Ed25519' }, false, ['verify']);
  return { name, keyId: derived, key, text };
}

/** Opens a checkpoint note with `verifier`; returns the origin, size and root of the signed body. */
export async function openCheckpoint(
  note: string,
  verifier: BrowserVerifierKey,
): Promise<{ origin: string; size: number; root: Uint8Array }> {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new Error('the checkpoint note has no signature block');
  const body = note.slice(0, split + 1);
  const lines = note
    .slice(split + 2)
    .split('\n')
    .filter((l) => l !== '');
  let checked = false;
  for (const line of lines) {
    if (line.indexOf('\u2014 ') !== 0) throw new Error('malformed signature line in the checkpoint note');
    const rest = line.slice(2);
    const space = rest.indexOf(' ');
    if (space < 0 || rest.slice(0, space) !== verifier.name) continue;
    const sig = fromBase64(rest.slice(space + 1));
    if (sig.length !== 68 || hex(sig.subarray(0, 4)) !== verifier.keyId) continue;
    if (!(await crypto.subtle.verify({ name: 'Ed25519' }, verifier.key, sig.subarray(4), utf8.encode(body)))) {
      throw new Error(`the checkpoint signature by ${verifier.name} does not verify`);
    }
    checked = true;
  }
  if (!checked) throw new Error(`the checkpoint carries no signature by key ${verifier.name}+${verifier.keyId}`);
  const parts = body.slice(0, -1).split('\n');
  if (parts.length < 3 || !/^(0|[1-9][0-9]*)$/.test(parts[1]!)) throw new Error('the checkpoint body is malformed');
  const root = fromBase64(parts[2]!);
  if (root.length !== 32) throw new Error('the checkpoint root is not 32 bytes');
  return { origin: parts[0]!, size: Number(parts[1]), root };
}

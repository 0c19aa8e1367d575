import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { leafHash } from './hashing';
import { buildInclusionProof, MerkleAccumulator, nodeKey, rootFromInclusionProof } from './merkle';

// Event signatures (issue #6): each producing service signs every event it publishes, and the
// ledger and the offline verifier check it against the keys configured for that producer.
//
//   signing input  = canonical JSON of { headers: <ce_* headers and content-type>, value: <base64 of the value bytes> }
//   aal_signature  = RFC 7515 JWS compact serialization with a detached payload (RFC 7515 Appendix F):
//                    BASE64URL(protected header) ".." BASE64URL(Ed25519 signature)
//   protected      = {"alg":"EdDSA","kid":"<RFC 7638 JWK thumbprint of the public key>"}
//
// The signature is computed, as RFC 7515 says, over ASCII(BASE64URL(protected) "." BASE64URL(payload)),
// so any JOSE library verifies it given the payload (jose's flattenedVerify does, see the unit test).
// The signing input is the same text whose SHA-256 is the ledger's event content hash.
//
// Batch signatures (issue #16): events written together (one outbox append) are signed once.
//   leaf i         = RFC 9162 leaf hash of event i's content hash (SHA-256 of its signing input)
//   batch payload  = canonical JSON of { root: BASE64URL(RFC 9162 root of the N leaves), size: N }
//   protected      = {"alg":"EdDSA","kid":"<thumbprint>","typ":"aal-event-batch"}
//   aal_signature  = BASE64URL(protected) ".." BASE64URL(Ed25519 signature over the batch payload, as above)
//                    "~" i "~" N ( "~" BASE64URL(hash) )*      the RFC 9162 inclusion path of leaf i, leaf upwards
// Every event still verifies alone, offline: its path leads from its own content hash to the root,
// the root and N are what the producer signed, and the index is fixed by the path (a wrong one
// leads to another root). `typ` keeps the two forms apart: a batch signature is never read as a
// single one. A consumer checking many events of one batch verifies the Ed25519 signature once.

/** Kafka header carrying the event's signature. Not a `ce_` header, so not part of what is signed. */
export const SIGNATURE_HEADER = 'aal_signature';
/** The only JWS algorithm produced and accepted: Ed25519 (RFC 8037). */
export const EVENT_SIGNATURE_ALG = 'EdDSA';

const ED25519_SIGNATURE_SIZE = 64;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const PROTECTED_HEADER_MEMBERS = new Set(['alg', 'kid']);
const BATCH_PROTECTED_HEADER_MEMBERS = new Set(['alg', 'kid', 'typ']);
/** The `typ` of a batch signature's protected header. */
export const EVENT_BATCH_SIGNATURE_TYP = 'aal-event-batch';
/** Separates a batch signature's JWS from its leaf index, batch size and inclusion path. */
const BATCH_SEPARATOR = '~';
const DECIMAL = /^(0|[1-9][0-9]{0,8})$/;
const JWK_MEMBERS = new Set(['kty', 'crv', 'x', 'kid', 'alg', 'use']);
/** `/aal/<service>/<instance>`: the CloudEvents `source` every producer stamps (ProducerKitModule). */
const SOURCE = /^\/aal\/([a-z0-9][a-z0-9-]*)\/[^/]+$/;

/**
 * A configuration error in signing keys or a key set: `code` is stable, `evidence` says where.
 * - `EVENT_KEYS.INVALID`: an event key set document (EVENT_KEYS_FILE) that is not the documented shape.
 * - `EVENT_KEYS.BAD_SIGNING_KEY`: a signing key that is not an Ed25519 private key.
 */
export class EventKeyError extends Error {
  override readonly name = 'EventKeyError';

  constructor(
    readonly code: 'EVENT_KEYS.INVALID' | 'EVENT_KEYS.BAD_SIGNING_KEY',
    message: string,
    readonly evidence: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A producer's signing key, with its key id and encoded protected header computed once. */
export interface EventSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** BASE64URL of the protected header; the first part of every signature made with this key. */
  readonly encodedProtectedHeader: string;
}

/** Trusted public keys of one producer, by key id (a JWKS, so keys can be rotated). */
export type ProducerKeys = ReadonlyMap<string, KeyObject>;

/** Trusted public keys of every producer, by producer name. */
export type EventKeySet = ReadonlyMap<string, ProducerKeys>;

export type EventSignatureCheck =
  | {
      readonly ok: true;
      readonly kid: string;
      /** SHA-256 of the signed content (the JWS payload): equals `eventContentHash` of the event, computed once. */
      readonly contentHash: Buffer;
    }
  | {
      readonly ok: false;
      /** `EVENT.UNSIGNED`: no signature header; `EVENT.SIGNATURE_INVALID`: anything else wrong with it. */
      readonly code: 'EVENT.UNSIGNED' | 'EVENT.SIGNATURE_INVALID';
      /** One precise sentence: missing, malformed JWS, algorithm not allowed, unknown key id, bad signature. */
      readonly reason: string;
    };

/**
 * Wraps an Ed25519 private key for `signEvent`. Throws `EVENT_KEYS.BAD_SIGNING_KEY` for any
 * other key type.
 */
export function eventSigningKey(privateKey: KeyObject): EventSigningKey {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new EventKeyError(
      'EVENT_KEYS.BAD_SIGNING_KEY',
      `an event signing key must be an Ed25519 private key, not ${privateKey.asymmetricKeyType ?? privateKey.type}`,
      {
        keyType: privateKey.type,
        asymmetricKeyType: privateKey.asymmetricKeyType,
      },
    );
  }
  const kid = jwkThumbprint(createPublicKey(privateKey));
  return { kid, privateKey, encodedProtectedHeader: base64url(Buffer.from(JSON.stringify({ alg: EVENT_SIGNATURE_ALG, kid }), 'utf8')) };
}

/** The public JWK of an Ed25519 key (public or private), with its RFC 7638 thumbprint as `kid`. */
export function publicEventJwk(key: KeyObject): { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' } {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const x = okpX(publicKey);
  return { kty: 'OKP', crv: 'Ed25519', x, kid: thumbprintOfX(x), alg: EVENT_SIGNATURE_ALG, use: 'sig' };
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of an Ed25519 public key. */
export function jwkThumbprint(publicKey: KeyObject): string {
  return thumbprintOfX(okpX(publicKey));
}

/** The headers a signature covers: the CloudEvents attributes (`ce_*`) and `content-type`. */
export function signedEventHeaders(headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined && (name.startsWith('ce_') || name === 'content-type')) kept[name] = value;
  }
  return kept;
}

/** The JWS payload: canonical JSON of the signed headers and the value bytes (base64), as UTF-8. */
export function eventSigningInput(headers: Readonly<Record<string, string | undefined>>, value: Uint8Array | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(canonicalJson({ headers: signedEventHeaders(headers), value: bytes.toString('base64') }), 'utf8');
}

/**
 * Signs an event (its `ce_*` headers, `content-type` and value bytes; other headers are ignored)
 * and returns the value of the `aal_signature` header. Synchronous, deterministic (Ed25519).
 */
export function signEvent(headers: Readonly<Record<string, string | undefined>>, value: Uint8Array | string, key: EventSigningKey): string {
  const signature = sign(null, jwsSigningInput(key.encodedProtectedHeader, eventSigningInput(headers, value)), key.privateKey);
  return `${key.encodedProtectedHeader}..${base64url(signature)}`;
}

/**
 * Signs several events at once (see "Batch signatures" above) and returns each one's
 * `aal_signature`, in order: one Ed25519 signature over the root of their RFC 9162 tree, and each
 * event's inclusion path. One event gets the single form of `signEvent`; none, no signatures.
 */
export function signEventBatch(
  events: ReadonlyArray<{ readonly headers: Readonly<Record<string, string | undefined>>; readonly value: Uint8Array | string }>,
  key: EventSigningKey,
): string[] {
  if (events.length <= 1) return events.map((e) => signEvent(e.headers, e.value, key));
  const tree = new MerkleAccumulator();
  const nodes = new Map<string, Buffer>();
  for (const e of events) {
    for (const node of tree.append(leafHash(contentHashOf(eventSigningInput(e.headers, e.value))))) nodes.set(nodeKey(node.id), node.hash);
  }
  const size = events.length;
  const protectedHeader = batchProtectedHeader(key);
  const signature = sign(null, jwsSigningInput(protectedHeader, batchPayload(tree.root(), size)), key.privateKey);
  const jws = `${protectedHeader}..${base64url(signature)}`;
  return events.map((_, index) =>
    [jws, String(index), String(size), ...buildInclusionProof(index, size, nodes).map(base64url)].join(BATCH_SEPARATOR),
  );
}

/**
 * Memo of batch signatures already checked, shared by the checks of one set of events (a Kafka
 * batch, a verified log): each distinct signed batch root costs one Ed25519 verification.
 * Keyed by the JWS signing input and signature, so only an identical claim reuses a result.
 */
export type BatchSignatureMemo<T extends boolean | Promise<boolean>> = Map<string, T>;

/**
 * Checks an event's signature against the keys trusted for its producer. Never throws: every
 * failure is returned with a stable code and a precise reason. `memo` skips the Ed25519 check of
 * a batch signature already checked.
 */
export function verifyEventSignature(
  headers: Readonly<Record<string, string | undefined>>,
  value: Uint8Array | string,
  signature: string | undefined,
  keys: ProducerKeys,
  memo?: BatchSignatureMemo<boolean>,
): EventSignatureCheck {
  const prepared = prepare(headers, value, signature, keys);
  if (!prepared.ok) return prepared;
  const memoKey = prepared.batch ? `${prepared.data.toString('latin1')}.${prepared.signature.toString('base64url')}` : undefined;
  let valid = memoKey === undefined ? undefined : memo?.get(memoKey);
  if (valid === undefined) {
    valid = verify(null, prepared.data, prepared.key, prepared.signature);
    if (memoKey !== undefined) memo?.set(memoKey, valid);
  }
  return valid ? { ok: true, kid: prepared.kid, contentHash: prepared.contentHash } : badSignature(prepared.kid);
}

/**
 * `verifyEventSignature`, with the Ed25519 check run on libuv's thread pool (node:crypto's
 * callback form) so a consumer's event loop keeps working on other batches meanwhile. Same
 * results, same reasons.
 */
export function verifyEventSignatureAsync(
  headers: Readonly<Record<string, string | undefined>>,
  value: Uint8Array | string,
  signature: string | undefined,
  keys: ProducerKeys,
  memo?: BatchSignatureMemo<Promise<boolean>>,
): Promise<EventSignatureCheck> {
  const prepared = prepare(headers, value, signature, keys);
  if (!prepared.ok) return Promise.resolve(prepared);
  const memoKey = prepared.batch ? `${prepared.data.toString('latin1')}.${prepared.signature.toString('base64url')}` : undefined;
  let valid = memoKey === undefined ? undefined : memo?.get(memoKey);
  if (valid === undefined) {
    valid = new Promise<boolean>((resolve) =>
      verify(null, prepared.data, prepared.key, prepared.signature, (err, ok) => resolve(!err && ok)),
    );
    if (memoKey !== undefined) memo?.set(memoKey, valid);
  }
  return valid.then((ok) => (ok ? { ok: true, kid: prepared.kid, contentHash: prepared.contentHash } : badSignature(prepared.kid)));
}

/**
 * The producer an event's CloudEvents `source` names (`/aal/<producer>/<instance>`), or undefined
 * when it does not have that shape. Key sets are keyed by this name.
 */
export function emitterOfSource(source: string): string | undefined {
  return SOURCE.exec(source)?.[1];
}

/**
 * Parses an event key set document (`EVENT_KEYS_FILE`):
 * `{ "<producer>": { "keys": [ <Ed25519 public JWK>, ... ] }, ... }`. Each JWK MUST be
 * `kty: OKP`, `crv: Ed25519` with `x`; `kid`, if given, MUST be its RFC 7638 thumbprint (that is
 * the key id signatures carry); `alg`, if given, MUST be EdDSA; private members are refused.
 * Throws `EVENT_KEYS.INVALID` naming the producer and key at fault.
 */
export function parseEventKeySet(document: unknown): EventKeySet {
  const fail = (message: string, evidence: Record<string, unknown> = {}) => new EventKeyError('EVENT_KEYS.INVALID', message, evidence);
  if (!isObject(document)) throw fail('an event key set must be a JSON object of producers');
  const set = new Map<string, ProducerKeys>();
  for (const [producer, entry] of Object.entries(document)) {
    if (!isObject(entry) || !Array.isArray(entry['keys']))
      throw fail(`event keys of ${producer} must be { "keys": [ <JWK>, ... ] }`, { producer });
    const keys = new Map<string, KeyObject>();
    entry['keys'].forEach((jwk: unknown, index: number) => {
      const where = { producer, index };
      if (!isObject(jwk)) throw fail(`key ${index} of ${producer} is not a JWK object`, where);
      const unexpected = Object.keys(jwk).filter((member) => !JWK_MEMBERS.has(member));
      if (unexpected.length > 0)
        throw fail(`key ${index} of ${producer} has members ${unexpected.join(', ')} (public Ed25519 JWKs only)`, { ...where, unexpected });
      if (jwk['kty'] !== 'OKP' || jwk['crv'] !== 'Ed25519' || typeof jwk['x'] !== 'string')
        throw fail(`key ${index} of ${producer} is not an Ed25519 public JWK (kty OKP, crv Ed25519, x)`, where);
      if (jwk['alg'] !== undefined && jwk['alg'] !== EVENT_SIGNATURE_ALG)
        throw fail(`key ${index} of ${producer} has alg ${String(jwk['alg'])}, not ${EVENT_SIGNATURE_ALG}`, where);
      if (jwk['use'] !== undefined && jwk['use'] !== 'sig')
        throw fail(`key ${index} of ${producer} has use ${String(jwk['use'])}, not sig`, where);
      const x = jwk['x'];
      const raw = decodeBase64url(x);
      if (raw === undefined || raw.length !== 32)
        throw fail(`key ${index} of ${producer}: x is not 32 bytes of canonical base64url`, where);
      const kid = thumbprintOfX(x);
      if (jwk['kid'] !== undefined && jwk['kid'] !== kid)
        throw fail(`key ${index} of ${producer}: kid ${String(jwk['kid'])} is not its RFC 7638 thumbprint ${kid}`, { ...where, kid });
      keys.set(kid, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }));
    });
    set.set(producer, keys);
  }
  return set;
}

// ---- internals -------------------------------------------------------------------------------

type Prepared =
  | {
      readonly ok: true;
      readonly kid: string;
      readonly key: KeyObject;
      /** `eventContentHash` of the event: SHA-256 of its signing input. */
      readonly contentHash: Buffer;
      /** What the Ed25519 signature covers: the event's JWS signing input, or its batch's. */
      readonly data: Buffer;
      readonly signature: Buffer;
      /** Whether `data` is a batch payload (shared by the batch's events, so worth memoising). */
      readonly batch: boolean;
    }
  | Extract<EventSignatureCheck, { ok: false }>;

function prepare(
  headers: Readonly<Record<string, string | undefined>>,
  value: Uint8Array | string,
  signature: string | undefined,
  keys: ProducerKeys,
): Prepared {
  if (signature === undefined || signature === '')
    return { ok: false, code: 'EVENT.UNSIGNED', reason: `the event has no ${SIGNATURE_HEADER} header` };
  const invalid = (reason: string): Prepared => ({ ok: false, code: 'EVENT.SIGNATURE_INVALID', reason });
  const [jws, ...inclusion] = signature.split(BATCH_SEPARATOR) as [string, ...string[]];
  const batch = inclusion.length > 0;
  const parts = jws.split('.');
  if (parts.length !== 3 || parts[1] !== '' || !BASE64URL.test(parts[0]!) || !BASE64URL.test(parts[2]!)) {
    return invalid('malformed JWS: not a compact serialization with a detached payload (<protected>..<signature>)');
  }
  const [encodedHeader, , encodedSignature] = parts as [string, string, string];
  const headerBytes = decodeBase64url(encodedHeader);
  if (headerBytes === undefined) return invalid('malformed JWS: the protected header is not canonical base64url');
  let header: unknown;
  try {
    header = JSON.parse(headerBytes.toString('utf8'));
  } catch {
    return invalid('malformed JWS: the protected header is not JSON');
  }
  if (!isObject(header)) return invalid('malformed JWS: the protected header is not a JSON object');
  const allowed = batch ? BATCH_PROTECTED_HEADER_MEMBERS : PROTECTED_HEADER_MEMBERS;
  const unexpected = Object.keys(header).filter((member) => !allowed.has(member));
  if (unexpected.length > 0)
    return invalid(`malformed JWS: unexpected protected header members ${unexpected.join(', ')} (only ${[...allowed].join(' and ')})`);
  if (batch && header['typ'] !== EVENT_BATCH_SIGNATURE_TYP)
    return invalid(`malformed batch signature: the protected header's typ is not ${EVENT_BATCH_SIGNATURE_TYP}`);
  if (header['alg'] !== EVENT_SIGNATURE_ALG)
    return invalid(`JWS algorithm ${JSON.stringify(header['alg'])} is not allowed (only ${EVENT_SIGNATURE_ALG})`);
  const kid = header['kid'];
  if (typeof kid !== 'string' || kid === '') return invalid('malformed JWS: the protected header has no kid');
  const key = keys.get(kid);
  if (!key) return invalid(`key id ${kid} is not a key of this event's producer`);
  const signatureBytes = decodeBase64url(encodedSignature);
  if (signatureBytes === undefined || signatureBytes.length !== ED25519_SIGNATURE_SIZE) {
    return invalid(`malformed JWS: the signature is not ${ED25519_SIGNATURE_SIZE} bytes of canonical base64url`);
  }
  const payload = eventSigningInput(headers, value);
  const contentHash = contentHashOf(payload);
  if (!batch) return { ok: true, kid, key, contentHash, data: jwsSigningInput(encodedHeader, payload), signature: signatureBytes, batch };
  const root = batchRoot(contentHash, inclusion);
  if (typeof root === 'string') return invalid(`malformed batch signature: ${root}`);
  return {
    ok: true,
    kid,
    key,
    contentHash,
    data: jwsSigningInput(encodedHeader, batchPayload(root.root, root.size)),
    signature: signatureBytes,
    batch,
  };
}

/** The batch root and size an event's inclusion part (`index ~ size ~ path…`) leads to, or what is wrong with it. */
function batchRoot(contentHash: Buffer, inclusion: readonly string[]): { root: Buffer; size: number } | string {
  const [index, size, ...path] = inclusion;
  if (index === undefined || size === undefined || !DECIMAL.test(index) || !DECIMAL.test(size))
    return 'the leaf index and batch size are not decimal numbers (<jws>~<index>~<size>~<path>…)';
  const hashes = path.map(decodeBase64url);
  if (hashes.some((h) => h === undefined || h.length !== 32)) return 'an inclusion path hash is not 32 bytes of canonical base64url';
  try {
    return { root: rootFromInclusionProof(leafHash(contentHash), Number(index), Number(size), hashes as Buffer[]), size: Number(size) };
  } catch (err) {
    return `the inclusion path does not fit leaf ${index} of a batch of ${size} (${(err as Error).message})`;
  }
}

/** The batch payload: what a batch signature signs. */
function batchPayload(root: Buffer, size: number): Buffer {
  return Buffer.from(canonicalJson({ root: base64url(root), size }), 'utf8');
}

function batchProtectedHeader(key: EventSigningKey): string {
  return base64url(Buffer.from(JSON.stringify({ alg: EVENT_SIGNATURE_ALG, kid: key.kid, typ: EVENT_BATCH_SIGNATURE_TYP }), 'utf8'));
}

/** The payload is the canonical JSON that `eventContentHash` hashes: reuse it instead of building it twice. */
function contentHashOf(payload: Buffer): Buffer {
  return createHash('sha256').update(payload).digest();
}

function badSignature(kid: string): Extract<EventSignatureCheck, { ok: false }> {
  return { ok: false, code: 'EVENT.SIGNATURE_INVALID', reason: `the signature by key ${kid} does not match the event` };
}

/** RFC 7515 §5.1: ASCII(BASE64URL(UTF8(protected)) || '.' || BASE64URL(payload)). */
function jwsSigningInput(encodedProtectedHeader: string, payload: Buffer): Buffer {
  return Buffer.from(`${encodedProtectedHeader}.${base64url(payload)}`, 'ascii');
}

function okpX(publicKey: KeyObject): string {
  if (publicKey.asymmetricKeyType !== 'ed25519')
    throw new EventKeyError('EVENT_KEYS.BAD_SIGNING_KEY', `not an Ed25519 key: ${publicKey.asymmetricKeyType}`);
  const jwk = publicKey.export({ format: 'jwk' });
  return jwk.x!;
}

function thumbprintOfX(x: string): string {
  // RFC 7638 §3.2: the required members of an OKP key, lexicographic order, no whitespace.
  return base64url(createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`, 'utf8').digest());
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** Strict: undefined unless `text` is the one canonical unpadded base64url spelling of its bytes. */
function decodeBase64url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

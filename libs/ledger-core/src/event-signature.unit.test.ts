import fc from 'fast-check';
import { calculateJwkThumbprint, FlattenedSign, flattenedVerify, importJWK, type JWK } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { eventContentHash } from './ledger-entry';
import { leafHash, sha256 } from './hashing';
import { rootFromLeaves } from './merkle';
import {
  emitterOfSource,
  eventSigningInput,
  eventSigningKey,
  EventKeyError,
  parseEventKeySet,
  publicEventJwk,
  signEvent,
  signEventBatch,
  EVENT_BATCH_SIGNATURE_TYP,
  SIGNATURE_HEADER,
  verifyEventSignature,
  verifyEventSignatureAsync,
  type ProducerKeys,
} from './event-signature';

// ---- test data -------------------------------------------------------------------------------

const producerKey = generateKeyPairSync('ed25519').privateKey;
const signingKey = eventSigningKey(producerKey);
const otherKey = eventSigningKey(generateKeyPairSync('ed25519').privateKey);
const keySet = parseEventKeySet({ 'model-registry': { keys: [publicEventJwk(producerKey)] } });
const trusted: ProducerKeys = keySet.get('model-registry')!;

const headers = {
  'content-type': 'application/json',
  ce_specversion: '1.0',
  ce_id: 'evt-0001',
  ce_source: '/aal/model-registry/host-1',
  ce_type: 'aal.model.registered.v1',
  ce_subject: 'model/0f5d2d51',
  ce_time: '2026-11-02T09:00:00.000Z',
  ce_dataschema: 'urn:aal:schema:model.registered:v1',
};
const value = Buffer.from('{"modelId":"0f5d2d51","name":"SepsisWatch"}', 'utf8');

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const failure = (check: ReturnType<typeof verifyEventSignature>) => {
  if (check.ok) throw new Error('expected a failure');
  return check;
};

// ---- signing ---------------------------------------------------------------------------------

describe('signEvent', () => {
  it('given an event, when signed, then the result is a detached compact JWS with only alg EdDSA and the key thumbprint as kid', async () => {
    const signature = signEvent(headers, value, signingKey);
    const [protectedHeader, payload, sig] = signature.split('.');
    expect(payload).toBe('');
    expect(JSON.parse(Buffer.from(protectedHeader!, 'base64url').toString('utf8'))).toEqual({ alg: 'EdDSA', kid: signingKey.kid });
    expect(Buffer.from(sig!, 'base64url')).toHaveLength(64);
    expect(signingKey.kid).toBe(await calculateJwkThumbprint(publicEventJwk(producerKey) as JWK, 'sha256'));
  });

  it('given the same event, when signed twice or with extra non-event headers, then the signature is the same', () => {
    expect(signEvent(headers, value, signingKey)).toBe(
      signEvent({ ...headers, [SIGNATURE_HEADER]: 'x', traceparent: 'y' }, value, signingKey),
    );
    expect(signEvent(headers, value.toString('utf8'), signingKey)).toBe(signEvent(headers, value, signingKey));
  });

  it('the signing input is the preimage of the ledger event content hash', () => {
    const input = eventSigningInput(headers, value);
    expect(input.toString('utf8')).toBe(canonicalJson({ headers, value: value.toString('base64') }));
    expect(sha256(input)).toEqual(eventContentHash(headers, value));
  });

  it('a verified signature hands back the event content hash, so the ledger does not build it again', async () => {
    const signature = signEvent(headers, value, signingKey);
    const sync = verifyEventSignature(headers, value, signature, trusted);
    const async = await verifyEventSignatureAsync(headers, value, signature, trusted);
    expect(sync).toMatchObject({ ok: true, contentHash: eventContentHash(headers, value) });
    expect(async).toMatchObject({ ok: true, contentHash: eventContentHash(headers, value) });
  });

  it('refuses a key that is not an Ed25519 private key', () => {
    expect(() => eventSigningKey(generateKeyPairSync('ed25519').publicKey)).toThrow(EventKeyError);
    expect(() => eventSigningKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)).toThrow(/Ed25519/);
  });
});

// ---- verification ----------------------------------------------------------------------------

describe('verifyEventSignature', () => {
  const signature = signEvent(headers, value, signingKey);

  it('given an honest signature by a trusted key, then it verifies and names the key', async () => {
    expect(verifyEventSignature(headers, value, signature, trusted)).toEqual({
      ok: true,
      kid: signingKey.kid,
      contentHash: eventContentHash(headers, value),
    });
    expect(await verifyEventSignatureAsync(headers, value, signature, trusted)).toEqual({
      ok: true,
      kid: signingKey.kid,
      contentHash: eventContentHash(headers, value),
    });
  });

  it.each([
    ['no signature', undefined, 'EVENT.UNSIGNED', /no aal_signature header/],
    ['an empty signature', '', 'EVENT.UNSIGNED', /no aal_signature header/],
    [
      'an attached payload',
      signature.replace('..', `.${b64url('{}')}.`),
      'EVENT.SIGNATURE_INVALID',
      /malformed JWS: not a compact serialization with a detached payload/,
    ],
    ['two parts', signature.replace('..', '.'), 'EVENT.SIGNATURE_INVALID', /malformed JWS/],
    [
      'a header that is not JSON',
      `${b64url('{alg')}..${signature.split('..')[1]}`,
      'EVENT.SIGNATURE_INVALID',
      /protected header is not JSON/,
    ],
    [
      'alg none',
      `${b64url(JSON.stringify({ alg: 'none', kid: signingKey.kid }))}..${signature.split('..')[1]}`,
      'EVENT.SIGNATURE_INVALID',
      /algorithm "none" is not allowed/,
    ],
    [
      'alg ES256',
      `${b64url(JSON.stringify({ alg: 'ES256', kid: signingKey.kid }))}..${signature.split('..')[1]}`,
      'EVENT.SIGNATURE_INVALID',
      /algorithm "ES256" is not allowed/,
    ],
    [
      'a crit member',
      `${b64url(JSON.stringify({ alg: 'EdDSA', kid: signingKey.kid, crit: ['b64'], b64: false }))}..${signature.split('..')[1]}`,
      'EVENT.SIGNATURE_INVALID',
      /unexpected protected header members crit, b64/,
    ],
    ['no kid', `${b64url(JSON.stringify({ alg: 'EdDSA' }))}..${signature.split('..')[1]}`, 'EVENT.SIGNATURE_INVALID', /no kid/],
    [
      'a short signature',
      `${signature.split('..')[0]}..${Buffer.alloc(63).toString('base64url')}`,
      'EVENT.SIGNATURE_INVALID',
      /not 64 bytes/,
    ],
  ])('given %s, then it fails with its reason', (_, bad, code, reason) => {
    const check = failure(verifyEventSignature(headers, value, bad, trusted));
    expect(check.code).toBe(code);
    expect(check.reason).toMatch(reason);
  });

  it('given a signature by a key not in the producer’s set, then the key id is unknown', () => {
    const check = failure(verifyEventSignature(headers, value, signEvent(headers, value, otherKey), trusted));
    expect(check).toEqual({
      ok: false,
      code: 'EVENT.SIGNATURE_INVALID',
      reason: `key id ${otherKey.kid} is not a key of this event's producer`,
    });
  });

  it('given the signature of another event, or a value changed after signing, then the signature does not match', async () => {
    const other = signEvent({ ...headers, ce_id: 'evt-0002' }, value, signingKey);
    expect(failure(verifyEventSignature(headers, value, other, trusted)).reason).toBe(
      `the signature by key ${signingKey.kid} does not match the event`,
    );
    const tampered = Buffer.from(value.toString('utf8').replace('SepsisWatch', 'SepsisWatcH'), 'utf8');
    expect(failure(verifyEventSignature(headers, tampered, signature, trusted)).code).toBe('EVENT.SIGNATURE_INVALID');
    expect(await verifyEventSignatureAsync(headers, tampered, signature, trusted)).toMatchObject({
      ok: false,
      code: 'EVENT.SIGNATURE_INVALID',
    });
  });

  it('given a non-canonical base64url spelling of the signature, then it is refused', () => {
    // The last character of a 64-byte signature carries 4 unused bits; another spelling decodes the same.
    const [head, sig] = signature.split('..') as [string, string];
    const last = sig.slice(-1);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[(alphabet.indexOf(last) & ~3) | ((alphabet.indexOf(last) + 1) & 3)]!;
    expect(Buffer.from(sig.slice(0, -1) + sibling, 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
    expect(failure(verifyEventSignature(headers, value, `${head}..${sig.slice(0, -1)}${sibling}`, trusted)).reason).toMatch(
      /canonical base64url/,
    );
  });

  it('property: flipping any bit of any signed header, the value or the signature makes it fail', () => {
    const names = Object.keys(headers) as Array<keyof typeof headers>;
    fc.assert(
      fc.property(
        fc.constantFrom<'header' | 'value' | 'signature'>('header', 'value', 'signature'),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (part, at, bit) => {
          const flip = (bytes: Buffer) => {
            const copy = Buffer.from(bytes);
            copy[at % copy.length]! ^= 1 << bit;
            return copy;
          };
          if (part === 'value') return !verifyEventSignature(headers, flip(value), signature, trusted).ok;
          if (part === 'signature')
            return !verifyEventSignature(headers, value, flip(Buffer.from(signature, 'latin1')).toString('latin1'), trusted).ok;
          const name = names[at % names.length]!;
          const changed = { ...headers, [name]: flip(Buffer.from(headers[name], 'latin1')).toString('latin1') };
          return !verifyEventSignature(changed, value, signature, trusted).ok;
        },
      ),
      { numRuns: 500 },
    );
  });
});

// ---- batch signatures --------------------------------------------------------------------------

describe('signEventBatch', () => {
  const events = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      headers: { ...headers, ce_id: `evt-b${i}` },
      value: Buffer.from(`{"modelId":"m${i}","name":"SepsisWatch"}`, 'utf8'),
    }));

  it('given one event, then it gets the single form of signEvent', () => {
    const [one] = events(1);
    expect(signEventBatch([one!], signingKey)).toEqual([signEvent(one!.headers, one!.value, signingKey)]);
    expect(signEventBatch([], signingKey)).toEqual([]);
  });

  it('given a batch of any size, when signed once, then every event verifies alone with its content hash', () => {
    for (const n of [2, 3, 5, 8, 13]) {
      const batch = events(n);
      const signatures = signEventBatch(batch, signingKey);
      // One Ed25519 signature for the batch: every event carries the same JWS.
      expect(new Set(signatures.map((s) => s.split('~')[0])).size).toBe(1);
      batch.forEach((e, i) => {
        expect(signatures[i]!.split('~').slice(1, 3)).toEqual([String(i), String(n)]);
        expect(verifyEventSignature(e.headers, e.value, signatures[i], trusted)).toEqual({
          ok: true,
          kid: signingKey.kid,
          contentHash: eventContentHash(e.headers, e.value),
        });
      });
    }
  });

  it('the batch JWS signs the RFC 9162 root of the content hashes and the size, under typ aal-event-batch', async () => {
    const batch = events(3);
    const [first] = signEventBatch(batch, signingKey);
    const [protectedHeader, , sig] = first!.split('~')[0]!.split('.');
    expect(JSON.parse(Buffer.from(protectedHeader!, 'base64url').toString('utf8'))).toEqual({
      alg: 'EdDSA',
      kid: signingKey.kid,
      typ: EVENT_BATCH_SIGNATURE_TYP,
    });
    const root = rootFromLeaves(batch.map((e) => leafHash(eventContentHash(e.headers, e.value))));
    const payload = canonicalJson({ root: root.toString('base64url'), size: 3 });
    const jwk = { ...publicEventJwk(producerKey) } as JWK;
    const verified = await flattenedVerify(
      { protected: protectedHeader!, payload: b64url(payload), signature: sig! },
      await importJWK(jwk, 'EdDSA'),
    );
    expect(verified.protectedHeader).toMatchObject({ typ: EVENT_BATCH_SIGNATURE_TYP });
  });

  it('given a changed event, index, size or path hash, or a signature moved to another event, then it does not verify', async () => {
    const batch = events(5);
    const signatures = signEventBatch(batch, signingKey);
    const e = batch[2]!;
    const parts = signatures[2]!.split('~');
    const tamper = (at: number, to: string) => parts.map((p, i) => (i === at ? to : p)).join('~');
    const tampered = Buffer.from(e.value.toString('utf8').replace('SepsisWatch', 'SepsisWatcH'), 'utf8');
    expect(failure(verifyEventSignature(e.headers, tampered, signatures[2], trusted)).reason).toBe(
      `the signature by key ${signingKey.kid} does not match the event`,
    );
    expect(failure(verifyEventSignature(e.headers, e.value, signatures[3], trusted)).code).toBe('EVENT.SIGNATURE_INVALID');
    expect(failure(verifyEventSignature(e.headers, e.value, tamper(1, '3'), trusted)).code).toBe('EVENT.SIGNATURE_INVALID');
    expect(failure(verifyEventSignature(e.headers, e.value, tamper(2, '6'), trusted)).code).toBe('EVENT.SIGNATURE_INVALID');
    expect(failure(verifyEventSignature(e.headers, e.value, tamper(3, Buffer.alloc(32).toString('base64url')), trusted)).code).toBe(
      'EVENT.SIGNATURE_INVALID',
    );
    expect(await verifyEventSignatureAsync(e.headers, tampered, signatures[2], trusted)).toMatchObject({ ok: false });
  });

  it('given a malformed inclusion part or a batch JWS without its typ, then the reason says so', () => {
    const batch = events(4);
    const [first] = signEventBatch(batch, signingKey);
    const [jws, , , ...path] = first!.split('~');
    const e = batch[0]!;
    expect(failure(verifyEventSignature(e.headers, e.value, `${jws}~x~4~${path.join('~')}`, trusted)).reason).toMatch(
      /^malformed batch signature: the leaf index and batch size are not decimal numbers/,
    );
    expect(failure(verifyEventSignature(e.headers, e.value, `${jws}~0~4~${path[0]}`, trusted)).reason).toMatch(
      /^malformed batch signature: the inclusion path does not fit leaf 0 of a batch of 4/,
    );
    expect(failure(verifyEventSignature(e.headers, e.value, `${jws}~0~4~abc~${path[1]}`, trusted)).reason).toMatch(
      /not 32 bytes of canonical base64url/,
    );
    // A single signature's JWS (no typ) with an inclusion part appended is not a batch signature.
    const single = signEvent(e.headers, e.value, signingKey);
    expect(failure(verifyEventSignature(e.headers, e.value, `${single}~0~4~${path.join('~')}`, trusted)).reason).toMatch(
      /typ is not aal-event-batch/,
    );
    // And a batch JWS without its inclusion part is refused as a single one (typ is not allowed there).
    expect(failure(verifyEventSignature(e.headers, e.value, jws, trusted)).reason).toMatch(/unexpected protected header members typ/);
  });

  it('given a memo shared by the checks, then a batch costs one Ed25519 verification and every result is the same', async () => {
    const batch = events(6);
    const signatures = signEventBatch(batch, signingKey);
    const memo = new Map<string, Promise<boolean>>();
    const checks = await Promise.all(batch.map((e, i) => verifyEventSignatureAsync(e.headers, e.value, signatures[i], trusted, memo)));
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(memo.size).toBe(1);
    // The memo holds the claim, not the event: a changed event still fails with a warm memo.
    const tampered = Buffer.from('{"modelId":"m0","name":"Other"}', 'utf8');
    expect(await verifyEventSignatureAsync(batch[0]!.headers, tampered, signatures[0], trusted, memo)).toMatchObject({ ok: false });
    const syncMemo = new Map<string, boolean>();
    expect(batch.every((e, i) => verifyEventSignature(e.headers, e.value, signatures[i], trusted, syncMemo).ok)).toBe(true);
    expect(syncMemo.size).toBe(1);
  });
});

// ---- interoperability with jose ----------------------------------------------------------------

describe('interoperability with jose (RFC 7515 detached payload)', () => {
  const payload = () => eventSigningInput(headers, value).toString('base64url');

  it('a signature we make verifies with jose flattenedVerify given the detached payload', async () => {
    const [protectedHeader, , signature] = signEvent(headers, value, signingKey).split('.');
    const key = await importJWK(publicEventJwk(producerKey) as JWK, 'EdDSA');
    const result = await flattenedVerify({ protected: protectedHeader!, payload: payload(), signature: signature! }, key, {
      algorithms: ['EdDSA'],
    });
    expect(result.protectedHeader).toEqual({ alg: 'EdDSA', kid: signingKey.kid });
    expect(Buffer.from(result.payload)).toEqual(eventSigningInput(headers, value));
  });

  it('a signature jose makes with Ed25519 verifies with ours', async () => {
    const jws = await new FlattenedSign(eventSigningInput(headers, value))
      .setProtectedHeader({ alg: 'EdDSA', kid: signingKey.kid })
      .sign(producerKey);
    expect(verifyEventSignature(headers, value, `${jws.protected}..${jws.signature}`, trusted)).toEqual({
      ok: true,
      kid: signingKey.kid,
      contentHash: eventContentHash(headers, value),
    });
  });
});

// ---- key sets and sources --------------------------------------------------------------------

describe('parseEventKeySet', () => {
  const jwk = publicEventJwk(producerKey);

  it('reads a JWKS per producer, keyed by thumbprint, with the kid optional', () => {
    const { kid, alg, use, ...bare } = jwk;
    const set = parseEventKeySet({ 'model-registry': { keys: [bare, publicEventJwk(otherKey.privateKey)] }, 'usage-events': { keys: [] } });
    expect([...set.keys()]).toEqual(['model-registry', 'usage-events']);
    expect([...set.get('model-registry')!.keys()]).toEqual([kid, otherKey.kid]);
    expect(alg).toBe('EdDSA');
    expect(use).toBe('sig');
  });

  it.each([
    ['not an object', [], /JSON object of producers/],
    ['a producer without keys', { p: {} }, /"keys"/],
    ['a private key', { p: { keys: [{ ...jwk, d: 'AAAA' }] } }, /members d/],
    ['another key type', { p: { keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }] } }, /members y/],
    ['a wrong kid', { p: { keys: [{ ...jwk, kid: 'someone-else' }] } }, /is not its RFC 7638 thumbprint/],
    ['another alg', { p: { keys: [{ ...jwk, alg: 'ES256' }] } }, /alg ES256/],
    ['a short x', { p: { keys: [{ ...jwk, x: 'AAAA' }] } }, /32 bytes/],
  ])('refuses %s', (_, document, message) => {
    expect(() => parseEventKeySet(document)).toThrow(message);
  });
});

describe('emitterOfSource', () => {
  it.each([
    ['/aal/model-registry/host-1', 'model-registry'],
    ['/aal/usage-events/test', 'usage-events'],
    ['/aal/model-registry', undefined],
    ['/aal/model-registry/a/b', undefined],
    ['https://example.org/aal/model-registry/x', undefined],
  ])('%s names %s', (source, emitter) => {
    expect(emitterOfSource(source)).toBe(emitter);
  });
});

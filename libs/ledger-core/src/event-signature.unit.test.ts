import fc from 'fast-check';
import { calculateJwkThumbprint, FlattenedSign, flattenedVerify, importJWK, type JWK } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { eventContentHash } from './ledger-entry';
import { sha256 } from './hashing';
import {
  emitterOfSource,
  eventSigningInput,
  eventSigningKey,
  EventKeyError,
  parseEventKeySet,
  publicEventJwk,
  signEvent,
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

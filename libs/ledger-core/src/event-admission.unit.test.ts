import { buildEvent, latestDefinition, subjectOf, toBinaryMessage, type CloudEvent } from '@aal/contracts';
import { modelRegisteredData } from '@aal/testing/unit';
import {
  eventSigningKey,
  signedEventHeaders,
  parseEventKeySet,
  publicEventJwk,
  signEvent,
  SIGNATURE_HEADER,
  type EventSigningKey,
} from './event-signature';
import { eventContentHash } from './ledger-entry';
import { generateKeyPairSync } from 'node:crypto';
import {
  authenticateEvent as authenticate,
  examineEvent as examine,
  type AdmissionDecision,
  type IncomingMessage,
} from './event-admission';

// ---- test data -------------------------------------------------------------------------------

const modelId = '0f5d2d51-2c43-4a8e-bb2f-6b1e9e7c3d20';
const deploymentId = '4b0e7c1e-5f0a-4a39-9a8e-2d8d1f0c6a11';
const MODEL_TOPIC = 'aal.model-registry.events.v1';
const DEPLOYMENT_TOPIC = 'aal.deployment-approval.events.v1';

const registered = buildEvent(latestDefinition('model.registered'), modelRegisteredData(modelId), {
  id: 'evt-0001',
  source: '/aal/model-registry/test',
  time: '2026-11-02T09:00:00.000Z',
});

const requested = buildEvent(
  latestDefinition('deployment.requested'),
  {
    deploymentId,
    employerId: 'st-swithins',
    modelId,
    versionId: '9a1c2e37-7d4b-4f1a-8c55-0e2b3f4a5b61',
    setting: { sites: ['ward-7a'], services: ['Acute medicine'], roles: ['staff-nurse'] },
    intendedUse: 'Adult acute wards.',
    actor: { organisationId: 'st-swithins', personId: 'psn_requester001', role: 'employer-requester' },
  },
  { id: 'evt-0002', source: '/aal/deployment-approval/test', time: '2026-11-02T09:02:00.000Z' },
);

const keyOf = (): EventSigningKey => eventSigningKey(generateKeyPairSync('ed25519').privateKey);
const producerKeys = { 'model-registry': keyOf(), 'deployment-approval': keyOf() };
const forger = keyOf();
const KEYS = parseEventKeySet(
  Object.fromEntries(Object.entries(producerKeys).map(([producer, key]) => [producer, { keys: [publicEventJwk(key.privateKey)] }])),
);

/** The Kafka message a producer would send for `event` on `topic`, signed by its producer; parts can be overridden. */
function messageOf(
  event: CloudEvent<unknown>,
  topic: string,
  o: Partial<IncomingMessage> = {},
  signer: EventSigningKey | null = producerKeys[
    latestDefinition(event.type.split('.').slice(1, -1).join('.')).producer as 'model-registry'
  ],
): IncomingMessage {
  const m = toBinaryMessage(event);
  const headers = signer ? { ...m.headers, [SIGNATURE_HEADER]: signEvent(m.headers, m.value, signer) } : m.headers;
  return { topic, partition: 0, offset: '41', key: m.key, headers, value: Buffer.from(m.value, 'utf8'), ...o };
}

function accepted(decision: AdmissionDecision) {
  if (decision.kind !== 'accept') throw new Error(`expected acceptance, got: ${decision.reason}`);
  return decision;
}

function reason(decision: AdmissionDecision): string {
  if (decision.kind !== 'reject') throw new Error(`expected a rejection of ${decision.event.type}`);
  return decision.reason;
}

// ---- examine -----------------------------------------------------------------------------------

describe('examine', () => {
  it('given a valid event on its producer’s topic keyed by its subject, when examined, then it is accepted as decoded', () => {
    const message = messageOf(registered, MODEL_TOPIC);
    const decision = accepted(examine(message, 'model-registry', KEYS));
    expect(decision.message).toBe(message);
    expect(decision.event).toEqual(registered);
  });

  it('given extra transport headers, when accepted, then only ce_* and content-type headers are kept for the record', () => {
    const m = toBinaryMessage(registered);
    const message = messageOf(registered, MODEL_TOPIC, {
      headers: {
        ...m.headers,
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        'x-retry': '2',
        ce_partitionkey: 'kept',
        ce_gone: undefined,
      },
    });
    expect(accepted(examine(message, 'model-registry', KEYS)).headers).toEqual({ ...m.headers, ce_partitionkey: 'kept' });
  });

  it('given the distributed-tracing extension, when accepted, then the event carries its trace context and the record keeps its headers', () => {
    const traced = {
      ...registered,
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'congo=t61rcWkgMzE',
    };
    const decision = accepted(examine(messageOf(traced, MODEL_TOPIC), 'model-registry', KEYS));
    expect(decision.event).toEqual(traced);
    expect(decision.headers).toMatchObject({ ce_traceparent: traced.traceparent, ce_tracestate: traced.tracestate });
  });

  it('given a traceparent that is not W3C trace context, when examined, then the event is invalid at /traceparent', () => {
    const m = toBinaryMessage(registered);
    const decision = examine(
      messageOf(registered, MODEL_TOPIC, { headers: { ...m.headers, ce_traceparent: 'not-a-trace' } }),
      'model-registry',
      KEYS,
    );
    expect(decision).toMatchObject({ kind: 'reject', code: 'EVENT.INVALID' });
    expect(decision.kind === 'reject' && decision.reason).toContain('/traceparent');
  });

  it('given a signed event, when accepted, then its signature is kept for the record with the event headers', () => {
    const message = messageOf(registered, MODEL_TOPIC, {
      headers: { ...messageOf(registered, MODEL_TOPIC).headers, traceparent: 'dropped' },
    });
    const decision = accepted(examine(message, 'model-registry', KEYS));
    expect(decision.headers[SIGNATURE_HEADER]).toBe(message.headers[SIGNATURE_HEADER]);
    expect(decision.headers['traceparent']).toBeUndefined();
    expect(decision.emitter).toBe('model-registry');
  });

  it('given a message missing ce_ headers, when examined, then it is malformed and every missing header is named', () => {
    const { ce_id: _id, ce_time: _time, ...headers } = toBinaryMessage(registered).headers;
    expect(reason(examine(messageOf(registered, MODEL_TOPIC, { headers }), 'model-registry', KEYS))).toBe(
      'malformed CloudEvent: /headers/ce_id is required (required); /headers/ce_time is required (required)',
    );
  });

  it('given a value that is not JSON, when examined, then it is malformed with the parser’s reason', () => {
    expect(reason(examine(messageOf(registered, MODEL_TOPIC, { value: Buffer.from('{not json') }), 'model-registry', KEYS))).toMatch(
      /^malformed CloudEvent: \/value is not JSON: .+ \(json\)$/,
    );
  });

  it('given a tombstone, when examined, then it is malformed', () => {
    expect(reason(examine(messageOf(registered, MODEL_TOPIC, { value: null }), 'model-registry', KEYS))).toBe(
      'malformed CloudEvent: /value is empty (tombstones are not events) (required)',
    );
  });

  it('given data that breaks its schema, when examined, then it is invalid, naming the type and each pointer', () => {
    const value = Buffer.from(JSON.stringify({ ...(registered.data as object), riskClass: undefined, nhsNumber: '9434765919' }));
    expect(reason(examine(messageOf(registered, MODEL_TOPIC, { value }), 'model-registry', KEYS))).toBe(
      'invalid aal.model.registered.v1: /data/riskClass is required (required); /data/nhsNumber is not an allowed property (additionalProperties)',
    );
  });

  it.each([
    ['U+0000', 'Sepsis\u0000Watch'],
    ['a lone surrogate', 'SepsisWatch \ud800'],
  ])(
    'given data whose free text holds %s, when examined, then it is invalid at that pointer (dead-lettered, never stored)',
    (_what, name) => {
      // JSON.stringify writes both as \u escapes, so they survive the trip through Kafka as they were sent.
      const value = Buffer.from(JSON.stringify({ ...(registered.data as object), name }));
      expect(reason(examine(messageOf(registered, MODEL_TOPIC, { value }), 'model-registry', KEYS))).toMatch(
        /^invalid aal\.model\.registered\.v1: \/data\/name must match pattern/,
      );
    },
  );

  it('given an event id holding U+0000, when examined, then it is malformed naming the header (and a producer cannot build such an event)', () => {
    const m = messageOf(registered, MODEL_TOPIC);
    expect(reason(examine({ ...m, headers: { ...m.headers, ce_id: 'evt-\u00000001' } }, 'model-registry', KEYS))).toBe(
      'malformed CloudEvent: /headers/ce_id holds U+0000 or an unpaired surrogate',
    );
    expect(() =>
      buildEvent(latestDefinition('model.registered'), registered.data as never, {
        id: 'evt-\u00000001',
        source: registered.source,
        time: registered.time,
      }),
    ).toThrow(/\/id must match pattern/);
  });

  it('given a recorded header (another ce_ attribute, the content type) holding U+0000, when examined, then it is malformed naming the header', () => {
    const m = messageOf(registered, MODEL_TOPIC);
    const decision = examine(
      { ...m, headers: { ...m.headers, ce_traceparent: 'x\u0000', 'content-type': 'application/json; x=\u0000' } },
      'model-registry',
      KEYS,
    );
    expect(reason(decision)).toBe(
      'malformed CloudEvent: /headers/content-type holds U+0000 or an unpaired surrogate; /headers/ce_traceparent holds U+0000 or an unpaired surrogate',
    );
  });

  it('given an unknown event type, when examined, then it is invalid naming the type', () => {
    const headers = { ...toBinaryMessage(registered).headers, ce_type: 'aal.model.exploded.v1' };
    expect(reason(examine(messageOf(registered, MODEL_TOPIC, { headers }), 'model-registry', KEYS))).toBe(
      'invalid aal.model.exploded.v1: /type unknown event type "aal.model.exploded.v1" (catalogue)',
    );
  });

  it('given a deployment event on the model-registry topic, when examined, then it is refused for the wrong producer', () => {
    expect(reason(examine(messageOf(requested, MODEL_TOPIC), 'model-registry', KEYS))).toBe(
      `aal.deployment.requested.v1 is emitted only by deployment-approval, but arrived on ${MODEL_TOPIC}`,
    );
  });

  it('given a topic no producer owns, when examined, then it is refused for the wrong producer', () => {
    expect(reason(examine(messageOf(registered, 'somebody.else'), undefined, KEYS))).toBe(
      'aal.model.registered.v1 is emitted only by model-registry, but arrived on somebody.else',
    );
  });

  it('given a key that is not the subject, when examined, then it is refused naming both', () => {
    expect(reason(examine(messageOf(requested, DEPLOYMENT_TOPIC, { key: subjectOf('model', modelId) }), 'deployment-approval', KEYS))).toBe(
      `message key "${subjectOf('model', modelId)}" differs from the event subject "${subjectOf('deployment', deploymentId)}"`,
    );
  });

  it('given no key at all, when examined, then it is refused as an empty key', () => {
    expect(reason(examine(messageOf(requested, DEPLOYMENT_TOPIC, { key: null }), 'deployment-approval', KEYS))).toBe(
      `message key "" differs from the event subject "${subjectOf('deployment', deploymentId)}"`,
    );
  });

  it('given any rejection, when examined, then it carries the original message, so the dead-letter topic gets it unchanged', () => {
    const message = messageOf(registered, MODEL_TOPIC, { key: 'wrong' });
    expect(examine(message, 'model-registry', KEYS)).toEqual({
      kind: 'reject',
      message,
      code: 'EVENT.KEY_MISMATCH',
      reason: expect.any(String),
    });
  });

  it('given a source that names no producer with keys, when examined, then it is refused as an unknown source', () => {
    const stranger = buildEvent(latestDefinition('model.registered'), registered.data as never, {
      id: 'evt-0003',
      source: '/aal/somebody/x',
      time: registered.time,
    });
    const decision = examine(messageOf(stranger, MODEL_TOPIC), 'model-registry', KEYS);
    expect(decision).toMatchObject({
      kind: 'reject',
      code: 'EVENT.UNKNOWN_SOURCE',
      reason: 'source "/aal/somebody/x" names no producer whose event keys are trusted here',
    });
    const unshaped = buildEvent(latestDefinition('model.registered'), registered.data as never, {
      id: 'evt-0004',
      source: 'urn:model-registry',
      time: registered.time,
    });
    expect(examine(messageOf(unshaped, MODEL_TOPIC), 'model-registry', KEYS)).toMatchObject({
      kind: 'reject',
      code: 'EVENT.UNKNOWN_SOURCE',
    });
  });

  it('given a model event whose source names deployment-approval, when examined, then it is refused: that producer does not emit the type', () => {
    const borrowed = buildEvent(latestDefinition('model.registered'), registered.data as never, {
      id: 'evt-0005',
      source: '/aal/deployment-approval/test',
      time: registered.time,
    });
    expect(examine(messageOf(borrowed, MODEL_TOPIC, {}, producerKeys['deployment-approval']), 'model-registry', KEYS)).toMatchObject({
      kind: 'reject',
      code: 'EVENT.WRONG_PRODUCER',
      reason: 'aal.model.registered.v1 is emitted only by model-registry, but its source names deployment-approval',
    });
  });
});

// ---- authenticate ------------------------------------------------------------------------------

describe('authenticate', () => {
  const check = (message: IncomingMessage) => authenticate(examine(message, 'model-registry', KEYS), KEYS);

  it('given an event signed by its producer, when authenticated, then it stays accepted', async () => {
    const message = messageOf(registered, MODEL_TOPIC);
    const examined = examine(message, 'model-registry', KEYS);
    if (examined.kind !== 'accept') throw new Error('expected the event to be accepted');
    expect(await check(message)).toEqual({
      ...examined,
      contentHash: eventContentHash(signedEventHeaders(examined.headers), message.value!),
    });
  });

  it('given a traced event whose traceparent was changed after signing, when authenticated, then the signature no longer matches', async () => {
    const traced = { ...registered, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
    const signed = messageOf(traced, MODEL_TOPIC);
    expect(await check(signed)).toMatchObject({ kind: 'accept' });
    const moved = { ...signed.headers, ce_traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01' };
    expect(await check({ ...signed, headers: moved })).toMatchObject({ kind: 'reject', code: 'EVENT.SIGNATURE_INVALID' });
  });

  it('given an unsigned event, when authenticated, then it is refused as unsigned', async () => {
    expect(await check(messageOf(registered, MODEL_TOPIC, {}, null))).toMatchObject({
      kind: 'reject',
      code: 'EVENT.UNSIGNED',
      reason: 'the event has no aal_signature header (model-registry, /aal/model-registry/test)',
    });
  });

  it('given an event signed by a key not trusted for its producer (another producer’s, or a forger’s), when authenticated, then the key id is unknown', async () => {
    for (const key of [forger, producerKeys['deployment-approval']]) {
      expect(await check(messageOf(registered, MODEL_TOPIC, {}, key))).toMatchObject({
        kind: 'reject',
        code: 'EVENT.SIGNATURE_INVALID',
        reason: `key id ${key.kid} is not a key of this event's producer (model-registry, /aal/model-registry/test)`,
      });
    }
  });

  it('given another event’s signature, or a value changed after signing, when authenticated, then the signature does not match', async () => {
    const other = buildEvent(latestDefinition('model.registered'), { ...(registered.data as object), name: 'Other' } as never, {
      id: 'evt-0006',
      source: registered.source,
      time: registered.time,
    });
    const honest = messageOf(registered, MODEL_TOPIC);
    const replayed = {
      ...honest,
      headers: { ...honest.headers, [SIGNATURE_HEADER]: messageOf(other, MODEL_TOPIC).headers[SIGNATURE_HEADER] },
    };
    const tampered = { ...honest, value: Buffer.from(honest.value!.toString('utf8').replace('SepsisWatch', 'SepsisWatcher')) };
    for (const message of [replayed, tampered]) {
      expect(await check(message)).toMatchObject({
        kind: 'reject',
        code: 'EVENT.SIGNATURE_INVALID',
        reason: expect.stringMatching(/^the signature by key .+ does not match the event/),
      });
    }
  });

  it('given a refusal, when authenticated, then it is returned unchanged', async () => {
    const refused = examine(messageOf(registered, MODEL_TOPIC, { key: 'wrong' }), 'model-registry', KEYS);
    expect(await authenticate(refused, KEYS)).toBe(refused);
  });
});

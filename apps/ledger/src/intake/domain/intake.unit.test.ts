import { buildEvent, latestDefinition, toBinaryMessage, type CloudEvent } from '@aal/contracts';
import { examine, type IncomingMessage, type IntakeDecision } from './intake';

// ---- test data -------------------------------------------------------------------------------

const modelId = '0f5d2d51-2c43-4a8e-bb2f-6b1e9e7c3d20';
const deploymentId = '4b0e7c1e-5f0a-4a39-9a8e-2d8d1f0c6a11';
const MODEL_TOPIC = 'aal.model-registry.events.v1';
const DEPLOYMENT_TOPIC = 'aal.deployment-approval.events.v1';

const registered = buildEvent(
  latestDefinition('model.registered'),
  {
    modelId,
    vendorId: 'acme-ai',
    name: 'SepsisWatch',
    intendedPurpose: 'Early warning of sepsis.',
    riskClass: 'uk-mdr-class-iia',
    manufacturerSafetyOfficer: 'psn_acmecso00001',
    actor: { organisationId: 'acme-ai', personId: 'psn_acmeadmin001', role: 'vendor-admin' },
  },
  { id: 'evt-0001', source: '/aal/model-registry/test', time: '2026-11-02T09:00:00.000Z' },
);

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

/** The Kafka message a producer would send for `event` on `topic`; parts can be overridden. */
function messageOf(event: CloudEvent<unknown>, topic: string, o: Partial<IncomingMessage> = {}): IncomingMessage {
  const m = toBinaryMessage(event);
  return { topic, partition: 0, offset: '41', key: m.key, headers: m.headers, value: Buffer.from(m.value, 'utf8'), ...o };
}

function accepted(decision: IntakeDecision) {
  if (decision.kind !== 'accept') throw new Error(`expected acceptance, got: ${decision.reason}`);
  return decision;
}

function reason(decision: IntakeDecision): string {
  if (decision.kind !== 'reject') throw new Error(`expected a rejection of ${decision.event.type}`);
  return decision.reason;
}

// ---- examine -----------------------------------------------------------------------------------

describe('examine', () => {
  it('given a valid event on its producer’s topic keyed by its subject, when examined, then it is accepted as decoded', () => {
    const message = messageOf(registered, MODEL_TOPIC);
    const decision = accepted(examine(message, 'model-registry'));
    expect(decision.message).toBe(message);
    expect(decision.event).toEqual(registered);
  });

  it('given extra transport headers, when accepted, then only ce_* and content-type headers are kept for the record', () => {
    const m = toBinaryMessage(registered);
    const message = messageOf(registered, MODEL_TOPIC, {
      headers: { ...m.headers, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'x-retry': '2', ce_traceparent: 'kept', 'ce_gone': undefined },
    });
    expect(accepted(examine(message, 'model-registry')).headers).toEqual({ ...m.headers, ce_traceparent: 'kept' });
  });

  it('given a message missing ce_ headers, when examined, then it is malformed and every missing header is named', () => {
    const { ce_id: _id, ce_time: _time, ...headers } = toBinaryMessage(registered).headers;
    expect(reason(examine(messageOf(registered, MODEL_TOPIC, { headers }), 'model-registry'))).toBe(
      'malformed CloudEvent: /headers/ce_id is required (required); /headers/ce_time is required (required)',
    );
  });

  it('given a value that is not JSON, when examined, then it is malformed with the parser’s reason', () => {
    expect(reason(examine(messageOf(registered, MODEL_TOPIC, { value: Buffer.from('{not json') }), 'model-registry'))).toMatch(
      /^malformed CloudEvent: \/value is not JSON: .+ \(json\)$/,
    );
  });

  it('given a tombstone, when examined, then it is malformed', () => {
    expect(reason(examine(messageOf(registered, MODEL_TOPIC, { value: null }), 'model-registry'))).toBe(
      'malformed CloudEvent: /value is empty (tombstones are not events) (required)',
    );
  });

  it('given data that breaks its schema, when examined, then it is invalid, naming the type and each pointer', () => {
    const value = Buffer.from(JSON.stringify({ ...(registered.data as object), riskClass: undefined, nhsNumber: '9434765919' }));
    expect(reason(examine(messageOf(registered, MODEL_TOPIC, { value }), 'model-registry'))).toBe(
      'invalid aal.model.registered.v1: /data/riskClass is required (required); /data/nhsNumber is not an allowed property (additionalProperties)',
    );
  });

  it('given an unknown event type, when examined, then it is invalid naming the type', () => {
    const headers = { ...toBinaryMessage(registered).headers, ce_type: 'aal.model.exploded.v1' };
    expect(reason(examine(messageOf(registered, MODEL_TOPIC, { headers }), 'model-registry'))).toBe(
      'invalid aal.model.exploded.v1: /type unknown event type "aal.model.exploded.v1" (catalogue)',
    );
  });

  it('given a deployment event on the model-registry topic, when examined, then it is refused for the wrong producer', () => {
    expect(reason(examine(messageOf(requested, MODEL_TOPIC), 'model-registry'))).toBe(
      `aal.deployment.requested.v1 is emitted only by deployment-approval, but arrived on ${MODEL_TOPIC}`,
    );
  });

  it('given a topic no producer owns, when examined, then it is refused for the wrong producer', () => {
    expect(reason(examine(messageOf(registered, 'somebody.else'), undefined))).toBe(
      'aal.model.registered.v1 is emitted only by model-registry, but arrived on somebody.else',
    );
  });

  it('given a key that is not the subject, when examined, then it is refused naming both', () => {
    expect(reason(examine(messageOf(requested, DEPLOYMENT_TOPIC, { key: `model/${modelId}` }), 'deployment-approval'))).toBe(
      `message key "model/${modelId}" differs from the event subject "deployment/${deploymentId}"`,
    );
  });

  it('given no key at all, when examined, then it is refused as an empty key', () => {
    expect(reason(examine(messageOf(requested, DEPLOYMENT_TOPIC, { key: null }), 'deployment-approval'))).toBe(
      `message key "" differs from the event subject "deployment/${deploymentId}"`,
    );
  });

  it('given any rejection, when examined, then it carries the original message, so the dead-letter topic gets it unchanged', () => {
    const message = messageOf(registered, MODEL_TOPIC, { key: 'wrong' });
    expect(examine(message, 'model-registry')).toEqual({ kind: 'reject', message, reason: expect.any(String) });
  });
});

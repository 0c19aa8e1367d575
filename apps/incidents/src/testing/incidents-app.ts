import { topicNames, type Actor } from '@aal/contracts';
import { EventPublisher } from '@aal/kafka';
import { actors, asKafkaMessage, eventually, makeEvent, startProducer, type RunningProducer } from '@aal/testing';
import { sepsisWatchPopulation } from '@aal/testing/unit';
import { randomUUID } from 'node:crypto';
import { AppModule } from '../app.module';
import { informProviderHoursFrom } from '../config';
import { INCIDENTS_SCHEMA } from '../database/incidents.schema';

export type RunningIncidents = RunningProducer;

/** The parties of the incidents tests: a provider, its version deployed by a hospital, and an outsider. */
export const vendorId = 'acme-ai';
export const deployerId = 'st-swithins';
export const people = {
  deployerCso: { organisationId: deployerId, personId: 'psn_sw_cso_00001', role: 'employer-approver' },
  vendorSafety: { organisationId: vendorId, personId: 'psn_acme_safety01', role: 'vendor-safety-officer' },
  clinicalSystem: { organisationId: deployerId, personId: 'psn_sw_epr_00001', role: 'clinical-system' },
  outsider: { organisationId: 'other-hospital', personId: 'psn_oh_admin00001', role: 'employer-admin' },
  auditor: { organisationId: deployerId, personId: 'psn_sw_auditor001', role: 'auditor' },
} satisfies Record<string, Actor>;

/** The service as main.ts builds it (the rule table's default notice hours), on a fresh database and its own topic prefix. */
export function startIncidents(): Promise<RunningIncidents> {
  return startProducer('incidents', INCIDENTS_SCHEMA, (config) =>
    AppModule.register({ ...config, informProviderWithinHours: informProviderHoursFrom(undefined) }),
  );
}

/** A valid classification of an incident in `deploymentId`; `overrides` replace its fields. */
export function classifyBody(deploymentId: string, overrides: Record<string, unknown> = {}) {
  return {
    deploymentId,
    classification: 'serious-harm-to-health',
    awareAt: new Date(Date.now() - 3_600_000).toISOString(),
    harmReference: 'LFPSE W-2026-1182',
    ...overrides,
  };
}

/**
 * Publishes a version release and a deployment request, signed as model-registry and
 * deployment-approval sign them, and waits until the directory knows the deployment (a probe
 * classification is refused 422 until then, storing nothing). Returns the deployment's id.
 */
export async function knownDeployment(app: RunningIncidents): Promise<{ modelId: string; versionId: string; deploymentId: string }> {
  const target = { modelId: randomUUID(), versionId: randomUUID(), deploymentId: randomUUID() };
  const prefix = app.topic.slice(0, -topicNames('').events.incidents.length);
  const released = makeEvent('model.version.released', {
    modelId: target.modelId,
    versionId: target.versionId,
    vendorId,
    version: '2.1.0',
    artifactDigest: `sha256:${'a'.repeat(64)}`,
    intendedUse: 'Adult wards.',
    ...sepsisWatchPopulation,
    knownLimitations: [],
    evidenceRefs: [],
    actor: { ...actors.vendorAdmin, organisationId: vendorId },
  });
  const requested = makeEvent('deployment.requested', {
    deploymentId: target.deploymentId,
    employerId: deployerId,
    modelId: target.modelId,
    versionId: target.versionId,
    setting: { sites: ['ward-7a'], services: ['Acute medicine'], roles: ['staff-nurse'] },
    intendedUse: 'Sepsis early warning.',
    actor: { ...actors.requester, organisationId: deployerId },
  });
  const publisher = new EventPublisher(app.kafka);
  try {
    await publisher.publish([asKafkaMessage(released, prefix), asKafkaMessage(requested, prefix)]);
  } finally {
    await publisher.disconnect();
  }
  await eventually(
    () => app.call('GET', '/health/ready'),
    (r) => r.status === 200,
    30000,
    'the directory consumers',
  );
  await eventually(
    () => app.call('POST', '/incidents', { caller: people.deployerCso, body: classifyBody(target.deploymentId) }),
    (r) => r.status === 201,
    30000,
    `the directory to know deployment ${target.deploymentId}`,
  );
  return target;
}

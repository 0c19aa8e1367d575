import { topicNames, type Actor } from '@aal/contracts';
import { EventPublisher } from '@aal/kafka';
import { actors, asKafkaMessage, eventually, makeEvent, startProducer, type RunningProducer } from '@aal/testing';
import { sepsisWatchPopulation } from '@aal/testing/unit';
import { randomUUID } from 'node:crypto';
import { AppModule } from '../app.module';
import { DEFAULT_DUE_POLICY } from '../concerns/domain/due-dates';
import { CONCERNS_SCHEMA } from '../database/concerns.schema';

export type RunningConcerns = RunningProducer;

/** The parties of the concerns tests: a vendor, its version deployed by a hospital, and an outsider. */
export const vendorId = 'acme-ai';
export const employerId = 'st-swithins';
export const people = {
  employerIntake: { organisationId: employerId, personId: 'psn_sw_intake0001', role: 'concern-intake' },
  vendorIntake: { organisationId: vendorId, personId: 'psn_acme_intake01', role: 'concern-intake' },
  vendorSafety: { organisationId: vendorId, personId: 'psn_acme_safety01', role: 'vendor-safety-officer' },
  employerAdmin: { ...actors.employerAdmin, organisationId: employerId },
  outsider: { organisationId: 'other-hospital', personId: 'psn_oh_intake0001', role: 'concern-intake' },
  auditor: { organisationId: employerId, personId: 'psn_sw_auditor001', role: 'auditor' },
} satisfies Record<string, Actor>;

/** The version and deployment concerns are raised about, as the directory learns them. */
export interface KnownTarget {
  readonly modelId: string;
  readonly versionId: string;
  readonly deploymentId: string;
}

/** The service as main.ts builds it (default due policy), on a fresh database and its own topic prefix. */
export function startConcerns(): Promise<RunningConcerns> {
  return startProducer('concerns', CONCERNS_SCHEMA, (config) => AppModule.register({ ...config, duePolicy: DEFAULT_DUE_POLICY }));
}

/**
 * Publishes a version release (model-registry) and a deployment request (deployment-approval),
 * signed as those services sign, onto the topics the service's directory reads, and waits until a
 * concern about the deployment is accepted (the probe is refused 422 until then, storing nothing).
 */
export async function knownTarget(app: RunningConcerns): Promise<KnownTarget> {
  const target = { modelId: randomUUID(), versionId: randomUUID(), deploymentId: randomUUID() };
  const prefix = app.topic.slice(0, -topicNames('').events.concerns.length);
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
    employerId,
    modelId: target.modelId,
    versionId: target.versionId,
    setting: { sites: ['ward-7a'], services: ['Acute medicine'], roles: ['staff-nurse'] },
    intendedUse: 'Sepsis early warning.',
    actor: { ...actors.requester, organisationId: employerId },
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
    () =>
      app.call('POST', '/concerns', {
        caller: people.employerIntake,
        body: concernBody({ kind: 'deployment', deploymentId: target.deploymentId }),
      }),
    (r) => r.status === 201,
    30000,
    `the directory to know deployment ${target.deploymentId}`,
  );
  return target;
}

/** A valid intake request about `about`; `overrides` replace its fields. */
export function concernBody(
  about: { kind: 'deployment'; deploymentId: string } | { kind: 'model-version'; versionId: string },
  overrides: Record<string, unknown> = {},
) {
  return {
    about,
    category: 'bias-or-unequal-performance',
    description: 'A patient representative reports that alerts seem to miss sepsis more often for patients with darker skin.',
    severity: 'high',
    raisedBy: 'patient-or-representative',
    addressees: about.kind === 'deployment' ? 'both' : 'vendor',
    ...overrides,
  };
}

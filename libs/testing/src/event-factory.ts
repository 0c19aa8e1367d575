import {
  buildEvent,
  findEventDefinition,
  latestDefinition,
  toBinaryMessage,
  topicNames,
  type Actor,
  type CloudEvent,
} from '@aal/contracts';
import type { OutgoingMessage } from '@aal/kafka';
import { emitterOfSource, signEvent, SIGNATURE_HEADER, type EventSigningKey } from '@aal/ledger-core';
import { randomUUID } from 'node:crypto';
import { approvedScope, modelRegisteredData, sepsisWatchPopulation, vendorAdmin } from './sample-data';
import { TEST_PRODUCERS, testEventSigningKey, type TestProducer } from './test-signer';

/**
 * Test-data factory: valid catalogue events, as producers would publish them: at the latest
 * schema version of `name`, or at `version` for entries recorded before a newer one existed.
 */
export function makeEvent(
  name: string,
  data: Record<string, unknown>,
  options: { time?: string; id?: string; source?: string; version?: number } = {},
): CloudEvent<unknown> {
  const definition = options.version === undefined ? latestDefinition(name) : findEventDefinition(`aal.${name}.v${options.version}`);
  if (!definition) throw new Error(`no event ${name} v${options.version} in the catalogue`);
  return buildEvent(definition, data as never, {
    id: options.id ?? randomUUID(),
    source: options.source ?? `/aal/${definition.producer}/test`,
    time: options.time ?? new Date().toISOString(),
  });
}

/**
 * The Kafka message a producer would publish for `event`, on its type's producer topic, signed
 * (`aal_signature`) with the test key of the producer its source names (the type's producer when
 * the source names none). `signingKey` signs with another key; `null` leaves it unsigned.
 */
export function asKafkaMessage(
  event: CloudEvent<unknown>,
  topicPrefix: string,
  options: { signingKey?: EventSigningKey | null } = {},
): OutgoingMessage {
  const definition = findEventDefinition(event.type);
  if (!definition) throw new Error(`no event type ${event.type} in the catalogue`);
  const producer = definition.producer as TestProducer;
  const m = toBinaryMessage(event);
  const emitter = emitterOfSource(event.source);
  const signer =
    options.signingKey !== undefined
      ? options.signingKey
      : testEventSigningKey((TEST_PRODUCERS as readonly string[]).includes(emitter ?? '') ? (emitter as TestProducer) : producer);
  const headers = signer === null ? m.headers : { ...m.headers, [SIGNATURE_HEADER]: signEvent(m.headers, m.value, signer) };
  return { topic: topicNames(topicPrefix).events[producer], key: m.key, headers, value: m.value };
}

export const actors = {
  vendorAdmin,
  requester: { organisationId: 'st-swithins', personId: 'psn_requester001', role: 'employer-requester' } satisfies Actor,
  safetyOfficer: { organisationId: 'st-swithins', personId: 'psn_cso000000001', role: 'employer-approver' } satisfies Actor,
  employerAdmin: { organisationId: 'st-swithins', personId: 'psn_empadmin0001', role: 'employer-admin' } satisfies Actor,
  clinicalSystem: { organisationId: 'st-swithins', personId: 'psn_eprsystem001', role: 'clinical-system' } satisfies Actor,
};

/** The records one output's chain (`outputChainEvents`) names. */
export interface OutputChainIds {
  readonly modelId: string;
  readonly versionId: string;
  readonly deploymentId: string;
  readonly outputId: string;
  readonly policyId: string;
  readonly trainingId: string;
}

/** Fresh ids for one output's chain; `outputId` when a test names its output. */
export function outputChainIds(outputId = `out-${randomUUID()}`): OutputChainIds {
  return {
    modelId: randomUUID(),
    versionId: randomUUID(),
    deploymentId: randomUUID(),
    outputId,
    policyId: randomUUID(),
    trainingId: randomUUID(),
  };
}

/**
 * One output's whole accountability chain as events: model and version, a deployment requested,
 * approved, activated, a policy, training, and the output generated, presented and overridden.
 */
const chainSetting = { sites: ['ward-7a', 'ward-7b'], services: ['Acute medicine'], roles: ['staff-nurse'] };

export function outputChainEvents(ids: OutputChainIds, base = Date.parse('2026-11-02T09:00:00Z')) {
  const t = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const nurse = { personId: 'psn_nurse0000001', role: 'staff-nurse' };
  return [
    makeEvent('model.registered', modelRegisteredData(ids.modelId), { time: t(0) }),
    makeEvent(
      'model.version.released',
      {
        modelId: ids.modelId,
        versionId: ids.versionId,
        vendorId: 'acme-ai',
        version: '2.1.0',
        artifactDigest: `sha256:${'a'.repeat(64)}`,
        intendedUse: 'Adult wards.',
        ...sepsisWatchPopulation,
        knownLimitations: ['Beta blockers lower sensitivity'],
        evidenceRefs: ['doi:10.1000/x'],
        actor: actors.vendorAdmin,
      },
      { time: t(1) },
    ),
    makeEvent(
      'deployment.requested',
      {
        deploymentId: ids.deploymentId,
        employerId: 'st-swithins',
        modelId: ids.modelId,
        versionId: ids.versionId,
        setting: chainSetting,
        intendedUse: 'Adult acute wards.',
        actor: actors.requester,
      },
      { time: t(2) },
    ),
    makeEvent(
      'deployment.approved',
      {
        deploymentId: ids.deploymentId,
        employerId: 'st-swithins',
        conditions: ['Two-week shadow period'],
        hazardLogRef: 'HL-2026-014',
        reviewDate: '2027-11-01',
        scope: approvedScope(chainSetting),
        actor: actors.safetyOfficer,
      },
      { time: t(3) },
    ),
    makeEvent(
      'deployment.activated',
      {
        deploymentId: ids.deploymentId,
        employerId: 'st-swithins',
        sites: ['ward-7a', 'ward-7b'],
        effectiveAt: t(4),
        actor: actors.employerAdmin,
      },
      { time: t(4) },
    ),
    makeEvent(
      'usage-policy.issued',
      {
        policyId: ids.policyId,
        deploymentId: ids.deploymentId,
        employerId: 'st-swithins',
        use: 'advisory',
        roles: ['staff-nurse'],
        sites: ['ward-7a', 'ward-7b'],
        humanReviewRequired: true,
        minimumReviewSeconds: 60,
        effectiveFrom: t(4),
        actor: actors.employerAdmin,
      },
      { time: t(4) },
    ),
    makeEvent(
      'training.recorded',
      {
        trainingId: ids.trainingId,
        employerId: 'st-swithins',
        professionalId: nurse.personId,
        deploymentId: ids.deploymentId,
        course: 'SepsisWatch essentials',
        completedAt: t(5),
        actor: actors.employerAdmin,
      },
      { time: t(5) },
    ),
    makeEvent(
      'output.generated',
      {
        outputId: ids.outputId,
        organisationId: 'st-swithins',
        deploymentId: ids.deploymentId,
        modelId: ids.modelId,
        versionId: ids.versionId,
        subjectRef: 'psn_subject00042',
        outputDigest: `sha256:${'c'.repeat(64)}`,
        site: 'ward-7a',
        summary: 'sepsis risk: high',
        actor: actors.clinicalSystem,
      },
      { time: t(10) },
    ),
    makeEvent(
      'output.presented',
      { outputId: ids.outputId, organisationId: 'st-swithins', professional: nurse, site: 'ward-7a', actor: actors.clinicalSystem },
      { time: t(11) },
    ),
    makeEvent(
      'output.acted-on',
      {
        outputId: ids.outputId,
        organisationId: 'st-swithins',
        professional: nurse,
        action: 'overridden',
        rationale: 'Recent surgery explains tachycardia.',
        reviewDurationSeconds: 95,
        actor: actors.clinicalSystem,
      },
      { time: t(13) },
    ),
  ];
}

/** The chain's deployment suspended by the employer's safety officer, in effect from `effectiveAt`, recorded as happening at `time`. */
export function deploymentSuspended(
  ids: Pick<OutputChainIds, 'deploymentId'>,
  change: { effectiveAt: string; reason: string; time: string },
): CloudEvent<unknown> {
  const data = { deploymentId: ids.deploymentId, employerId: 'st-swithins', effectiveAt: change.effectiveAt, reason: change.reason };
  return makeEvent('deployment.suspended', { ...data, actor: actors.safetyOfficer }, { time: change.time });
}

/** The chain's version withdrawn by its vendor, in effect from `effectiveAt`, recorded as happening at `time`. */
export function versionWithdrawn(
  ids: Pick<OutputChainIds, 'modelId' | 'versionId'>,
  change: { effectiveAt: string; reason: string; time: string },
): CloudEvent<unknown> {
  const data = {
    modelId: ids.modelId,
    versionId: ids.versionId,
    vendorId: 'acme-ai',
    reason: change.reason,
    effectiveAt: change.effectiveAt,
  };
  return makeEvent('model.version.withdrawn', { ...data, actor: actors.vendorAdmin }, { time: change.time });
}

/** A safety notice from the chain's vendor, issued at `time`, on its version unless `affectedVersionIds` says otherwise. */
export function safetyNoticeIssued(
  ids: Pick<OutputChainIds, 'modelId' | 'versionId'>,
  notice: { severity: string; summary: string; requiredAction: string; time: string; noticeId?: string; affectedVersionIds?: string[] },
): CloudEvent<unknown> {
  const { time, noticeId = randomUUID(), affectedVersionIds = [ids.versionId], ...said } = notice;
  const about = { noticeId, modelId: ids.modelId, vendorId: 'acme-ai', affectedVersionIds };
  return makeEvent('model.safety-notice.issued', { ...about, ...said, actor: actors.vendorAdmin }, { time });
}

import { topicNames, type CloudEvent } from '@aal/contracts';
import { EventPublisher } from '@aal/kafka';
import { actors, asKafkaMessage, eventually, makeEvent, startProducer, type RunningProducer } from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AppModule } from '../app.module';
import { USAGE_EVENTS_SCHEMA } from '../database/usage-events.schema';
import type { KnownDeployment } from '../deployment-directory/domain/known-deployment';
import { hospitalDeployment, otherTrustDeployment } from './usage.factories';

export type RunningUsageEvents = RunningProducer;

/**
 * The service as main.ts builds it, on a fresh database and its own Kafka topic prefix, once its
 * deployment directory knows `hospitalDeployment` and `otherTrustDeployment` (the deployments
 * `outputBody` reports for), learnt from deployment-approval's events like any other.
 */
export async function startUsageEvents(options: { readonly databaseProxy?: boolean } = {}): Promise<RunningUsageEvents> {
  const app = await startProducer('usage-events', USAGE_EVENTS_SCHEMA, (config) => AppModule.register(config), options);
  try {
    await knownDeployment(app, hospitalDeployment);
    await knownDeployment(app, otherTrustDeployment);
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}

/** The service of a test file: started before its tests, closed after them (see `runningUsageEvents`). */
export interface UsageEventsUnderTest {
  /** The running service; read inside a test or hook, never while the file's tests are collected. */
  readonly app: RunningUsageEvents;
  /** The running service's HTTP client. */
  readonly call: RunningUsageEvents['call'];
}

/**
 * Registers, in the calling `describe` block, a `beforeAll` that starts the service
 * (`startUsageEvents(options)`) and an `afterAll` that closes it: what every usage-events API test
 * file does around its tests.
 */
export function runningUsageEvents(options: { readonly databaseProxy?: boolean } = {}): UsageEventsUnderTest {
  let started: RunningUsageEvents | undefined;
  beforeAll(async () => {
    started = await startUsageEvents(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const running = () => {
    if (!started) throw new Error('usage-events is not running: it starts in beforeAll, so use it inside a test');
    return started;
  };
  return {
    get app() {
      return running();
    },
    call: (...args) => running().call(...args),
  };
}

export function readEvents(app: RunningUsageEvents, count: number) {
  return app.readEvents(count);
}

/** The topic prefix of a running service (its own topic is `<prefix>aal.usage-events.events.v1`). */
export function topicPrefixOf(app: RunningUsageEvents): string {
  return app.topic.slice(0, -topicNames('').events['usage-events'].length);
}

/** A signed deployment event as deployment-approval publishes it; `deployment.requested` unless `name` says otherwise. */
export function deploymentEvent(
  deployment: { deploymentId: string; employerId: string },
  name = 'deployment.requested',
): CloudEvent<unknown> {
  const requester = { ...actors.requester, organisationId: deployment.employerId };
  const admin = { ...actors.employerAdmin, organisationId: deployment.employerId };
  const now = new Date().toISOString();
  switch (name) {
    case 'deployment.requested':
      return makeEvent(name, {
        ...deployment,
        modelId: randomUUID(),
        versionId: randomUUID(),
        setting: { sites: ['ward-7'], services: ['Acute medicine'], roles: ['staff-nurse'] },
        intendedUse: 'Sepsis early warning.',
        actor: requester,
      });
    case 'deployment.approved':
      return makeEvent(name, {
        ...deployment,
        conditions: [],
        hazardLogRef: 'HL-1',
        reviewDate: '2099-01-01',
        scope: {
          sites: ['ward-7'],
          services: ['Acute medicine'],
          roles: ['staff-nurse'],
          population: { ageBands: ['18-39', '40-64', '65-79', '80-plus'], excludedContraindicationCodes: [] },
          uses: ['advisory'],
        },
        actor: { ...actors.safetyOfficer, organisationId: deployment.employerId },
      });
    case 'deployment.activated':
      return makeEvent(name, { ...deployment, sites: ['ward-7'], effectiveAt: now, actor: admin });
    case 'deployment.suspended':
      return makeEvent(name, { ...deployment, effectiveAt: now, reason: 'Under review.', actor: admin });
    default:
      throw new Error(`no test data for ${name}`);
  }
}

/** Publishes `events` onto the service's deployment-approval topic, signed as deployment-approval would. */
export async function publishDeploymentEvents(app: RunningUsageEvents, events: readonly CloudEvent<unknown>[]): Promise<void> {
  const publisher = new EventPublisher(app.kafka);
  try {
    await publisher.publish(events.map((e) => asKafkaMessage(e, topicPrefixOf(app))));
  } finally {
    await publisher.disconnect();
  }
}

/** What the service's deployment directory holds about one deployment (null: nothing), read below the API. */
export async function directoryEntry(app: RunningUsageEvents, deploymentId: string) {
  const db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
  try {
    const rows = await db.query(
      `SELECT employer_id AS "employerId", status, last_event_id AS "lastEventId", applied_event_ids AS "appliedEventIds"
         FROM ${USAGE_EVENTS_SCHEMA.schema}.deployments WHERE deployment_id = $1`,
      [deploymentId],
    );
    return (rows.rows[0] as { employerId: string; status: string; lastEventId: string; appliedEventIds: string[] } | undefined) ?? null;
  } finally {
    await db.end();
  }
}

/**
 * Makes the service know a deployment of `employerId` (a fresh id unless given): publishes its
 * `deployment.requested` event, as deployment-approval would, and waits until the directory has it.
 */
export async function knownDeployment(
  app: RunningUsageEvents,
  deployment: { deploymentId?: string; employerId: string },
): Promise<KnownDeployment> {
  const known = { deploymentId: deployment.deploymentId ?? randomUUID(), employerId: deployment.employerId };
  const requested = deploymentEvent(known);
  await publishDeploymentEvents(app, [requested]);
  await eventually(
    () => directoryEntry(app, known.deploymentId),
    (entry) => entry?.appliedEventIds.includes(requested.id) ?? false,
    60000,
    `deployment ${known.deploymentId} in the directory`,
  );
  return { ...known, status: 'requested' };
}

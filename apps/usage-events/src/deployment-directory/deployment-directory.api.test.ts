import { DEPLOYMENT_STATUSES } from '@aal/contracts';
import { EventPublisher } from '@aal/kafka';
import { asKafkaMessage, eventually, forgerUnderKidOf } from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { USAGE_EVENTS_SCHEMA } from '../database/usage-events.schema';
import { topicCount, topicHolds } from '../testing/topic';
import { deploymentEvent, directoryEntry, knownDeployment, runningUsageEvents, topicPrefixOf } from '../testing/usage-app';
import { at, clinicalSystem, nurse, otherTrust, otherTrustDeployment, outputBody } from '../testing/usage.factories';

describe('usage-events: the deployment directory and who may report outputs of a deployment', () => {
  const usage = runningUsageEvents();
  const { call } = usage;

  it("refuses a clinical system's output of another organisation's deployment with 403, storing and publishing nothing", async () => {
    const before = await topicCount(usage.app);
    const body = outputBody(at(Date.now(), -5), { deploymentId: otherTrustDeployment.deploymentId });

    const single = await call('POST', '/outputs', {
      body,
      caller: clinicalSystem,
      headers: { 'Idempotency-Key': `other-${randomUUID()}` },
    });
    expect(single.status).toBe(403);
    expect(single.body).toMatchObject({
      code: 'OUTPUT.DEPLOYMENT_OF_OTHER_ORGANISATION',
      deploymentId: otherTrustDeployment.deploymentId,
      errors: [expect.objectContaining({ pointer: '/deploymentId' })],
    });

    const { occurredAt, ...facts } = body;
    const batch = await call('POST', '/batches', {
      body: {
        items: [
          { kind: 'output.generated', body },
          { kind: 'output.presented', body: { outputId: facts.outputId, professional: nurse, site: 'ward-7', occurredAt } },
        ],
      },
      caller: clinicalSystem,
    });
    expect(batch.status).toBe(422);
    expect(JSON.stringify(batch.body.errors)).toContain('OUTPUT.DEPLOYMENT_OF_OTHER_ORGANISATION');

    expect((await call('GET', `/outputs/${body.outputId}`, { caller: clinicalSystem })).status).toBe(404);
    expect((await call('GET', `/outputs/${body.outputId}`, { caller: otherTrust })).status).toBe(404);
    // The relay is running: the next accepted output is the only event the topic gains.
    expect((await call('POST', '/outputs', { body: outputBody(at(Date.now(), -5)), caller: clinicalSystem })).status).toBe(201);
    await topicHolds(usage.app, before + 1);
  });

  it('refuses an output of a deployment it does not know with a retryable 422, and accepts it once the deployment is known', async () => {
    const deploymentId = randomUUID();
    const body = outputBody(at(Date.now(), -5), { deploymentId });
    const unknown = await call('POST', '/outputs', { body, caller: clinicalSystem });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'OUTPUT.UNKNOWN_DEPLOYMENT', deploymentId });
    expect(unknown.body.detail).toContain('try again');

    await knownDeployment(usage.app, { deploymentId, employerId: clinicalSystem.organisationId });
    const retried = await call('POST', '/outputs', { body, caller: clinicalSystem });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ outputId: body.outputId, deploymentId, organisationId: clinicalSystem.organisationId });
  });

  it('skips messages it cannot read, applies each deployment event once however often it is delivered, and keeps the first employer', async () => {
    const deployment = { deploymentId: randomUUID(), employerId: clinicalSystem.organisationId };
    const [requested, approved, activated, suspended] = [
      'deployment.requested',
      'deployment.approved',
      'deployment.activated',
      'deployment.suspended',
    ].map((name) => deploymentEvent(deployment, name)) as [
      ReturnType<typeof deploymentEvent>,
      ReturnType<typeof deploymentEvent>,
      ReturnType<typeof deploymentEvent>,
      ReturnType<typeof deploymentEvent>,
    ];
    const hijack = deploymentEvent(
      { deploymentId: deployment.deploymentId, employerId: otherTrust.organisationId },
      'deployment.activated',
    );
    const prefix = topicPrefixOf(usage.app);
    const message = (e: typeof requested) => asKafkaMessage(e, prefix);
    const key = message(requested).key;
    // A later genuine event of the same deployment lands on the same partition: once it is applied, so is everything before it.
    const marker = deploymentEvent(deployment, 'deployment.suspended');
    const publisher = new EventPublisher(usage.app.kafka);
    try {
      await publisher.publish([
        { topic: message(requested).topic, key, headers: { 'content-type': 'application/json' }, value: 'not an event' },
        { ...message(requested), value: JSON.stringify({ deploymentId: deployment.deploymentId }) },
        message(requested),
        message(approved),
        message(activated),
        message(suspended),
        message(hijack),
        // Copies, as a redelivered batch or an outbox relay publishing twice would bring them.
        message(requested),
        message(approved),
        message(activated),
        message(marker),
      ]);
    } finally {
      await publisher.disconnect();
    }
    await eventually(
      () => directoryEntry(usage.app, deployment.deploymentId),
      (entry) => entry?.lastEventId === marker.id,
      60000,
      'the marker in the directory',
    );

    expect(await directoryEntry(usage.app, deployment.deploymentId)).toEqual({
      employerId: clinicalSystem.organisationId,
      status: 'suspended',
      lastEventId: marker.id,
      appliedEventIds: [requested.id, approved.id, activated.id, suspended.id, marker.id],
    });
    const metrics = await fetch(`${usage.app.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^projection_messages_skipped_total\{projection="deployment-directory",code="EVENT.MALFORMED"[^}]*\} 1$/m);
    expect(metrics).toMatch(/^projection_messages_skipped_total\{projection="deployment-directory",code="EVENT.INVALID"[^}]*\} 1$/m);

    // Suspended is a fact the ledger reports on; the output is recorded, not refused.
    const output = await call('POST', '/outputs', {
      body: outputBody(at(Date.now(), -1), { deploymentId: deployment.deploymentId }),
      caller: clinicalSystem,
    });
    expect(output.status).toBe(201);
    // The other organisation never became the employer.
    const foreign = await call('POST', '/outputs', {
      body: outputBody(at(Date.now(), -1), { deploymentId: deployment.deploymentId }),
      caller: otherTrust,
    });
    expect(foreign.status).toBe(403);

    const ready = await call('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual(expect.arrayContaining([{ name: 'deployment-directory', ok: true }]));
  });

  it('applies only what deployment-approval signed: a deployment forged under its real key id, straight onto Kafka, takes no outputs', async () => {
    const deployment = { deploymentId: randomUUID(), employerId: clinicalSystem.organisationId };
    const forged = deploymentEvent(deployment);
    const publisher = new EventPublisher(usage.app.kafka);
    try {
      await publisher.publish([asKafkaMessage(forged, topicPrefixOf(usage.app), { signingKey: forgerUnderKidOf('deployment-approval') })]);
    } finally {
      await publisher.disconnect();
    }
    // The genuine event of the same deployment follows on the same partition, so it is read after the forgery.
    const body = outputBody(at(Date.now(), -5), { deploymentId: deployment.deploymentId });
    await eventually(
      () => fetch(`${usage.app.baseUrl}/metrics`).then((r) => r.text()),
      (metrics) =>
        /^projection_messages_skipped_total\{(?=[^}]*projection="deployment-directory")(?=[^}]*code="EVENT.SIGNATURE_INVALID")[^}]*\} 1$/m.test(
          metrics,
        ),
      60000,
      'the forgery skipped',
    );
    expect(await directoryEntry(usage.app, deployment.deploymentId)).toBeNull();
    const refused = await call('POST', '/outputs', { body, caller: clinicalSystem });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'OUTPUT.UNKNOWN_DEPLOYMENT', deploymentId: deployment.deploymentId });

    await knownDeployment(usage.app, deployment);
    expect((await call('POST', '/outputs', { body, caller: clinicalSystem })).status).toBe(201);
  });

  // The CHECK was written by an applied migration, so it cannot be derived from the contract; this holds the two equal (docs/decisions.md).
  it("admits exactly the contracts' deployment statuses in the directory's status column, once every migration has run", async () => {
    const db = new Client({ connectionString: usage.app.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ definition: string }>(
        `SELECT pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c
           JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = $1 AND t.relname = 'deployments' AND c.contype = 'c' AND pg_get_constraintdef(c.oid) LIKE '%status%'`,
        [USAGE_EVENTS_SCHEMA.schema],
      );
      expect(rows).toHaveLength(1);
      const admitted = [...rows[0]!.definition.matchAll(/'([^']+)'::text/g)].map((m) => m[1]);
      expect(admitted.sort()).toEqual([...DEPLOYMENT_STATUSES].sort());
    } finally {
      await db.end();
    }
  });
});

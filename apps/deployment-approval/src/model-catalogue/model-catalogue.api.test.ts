import { subjectOf } from '@aal/contracts';
import { EventPublisher } from '@aal/kafka';
import { actors, asKafkaMessage, eventually, makeEvent, startProducer, type RunningProducer } from '@aal/testing';
import { sepsisWatchPopulation } from '@aal/testing/unit';
import { randomUUID } from 'node:crypto';
import { AppModule } from '../app.module';
import { DEPLOYMENT_APPROVAL_SCHEMA } from '../database/deployment-approval.schema';

describe('deployment-approval: the model catalogue consumer', () => {
  let service: RunningProducer;
  let publisher: EventPublisher;
  let prefix: string;

  beforeAll(async () => {
    service = await startProducer('deployment-approval', DEPLOYMENT_APPROVAL_SCHEMA, (config) => AppModule.register(config));
    prefix = service.topic.slice(0, -'aal.deployment-approval.events.v1'.length);
    publisher = new EventPublisher(service.kafka);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await service?.close();
  });

  it('skips messages it cannot read, applies each fact once however often it is delivered, and reports ready', async () => {
    const modelId = randomUUID();
    const versionId = randomUUID();
    const noticeId = randomUUID();
    const facts = { modelId, vendorId: 'acme-ai', actor: actors.vendorAdmin };
    const released = makeEvent('model.version.released', {
      ...facts,
      versionId,
      version: '1.0.0',
      artifactDigest: `sha256:${'b'.repeat(64)}`,
      intendedUse: 'Adult wards.',
      ...sepsisWatchPopulation,
      knownLimitations: [],
      evidenceRefs: [],
    });
    const issued = makeEvent('model.safety-notice.issued', {
      ...facts,
      noticeId,
      affectedVersionIds: [versionId],
      severity: 'critical',
      summary: 'Bad.',
      requiredAction: 'Stop.',
    });
    const resolved = makeEvent('model.safety-notice.resolved', { ...facts, noticeId, resolution: 'Fixed.' });
    const withdrawn = makeEvent('model.version.withdrawn', {
      ...facts,
      versionId,
      reason: 'Superseded.',
      effectiveAt: '2026-12-01T00:00:00.000Z',
    });
    const topic = asKafkaMessage(released, prefix).topic;
    const key = subjectOf('model', modelId);

    await publisher.publish([
      { topic, key, headers: { 'content-type': 'application/json' }, value: 'not an event' },
      { ...asKafkaMessage(released, prefix), value: JSON.stringify({ modelId }) },
      asKafkaMessage(released, prefix),
      asKafkaMessage(issued, prefix),
      asKafkaMessage(resolved, prefix),
      asKafkaMessage(withdrawn, prefix),
      // Redeliveries, as after a crash between the database commit and the offset commit.
      asKafkaMessage(released, prefix),
      asKafkaMessage(issued, prefix),
      asKafkaMessage(resolved, prefix),
    ]);

    const version = await eventually(
      () => service.call('GET', `/model-catalogue/versions/${versionId}`, { caller: actors.requester }),
      (res) => res.status === 200 && res.body.status === 'withdrawn',
      60000,
      'the withdrawal in the catalogue',
    );
    expect(version.body).toEqual({
      versionId,
      modelId,
      vendorId: 'acme-ai',
      version: '1.0.0',
      status: 'withdrawn',
      releasedAt: new Date(released.time).toISOString(),
      withdrawnAt: '2026-12-01T00:00:00.000Z',
      population: {
        contraindications: sepsisWatchPopulation.contraindications,
        ageBands: sepsisWatchPopulation.intendedPopulation.ageBands,
      },
      safetyNotices: [
        {
          noticeId,
          severity: 'critical',
          affectedVersionIds: [versionId],
          issuedAt: new Date(issued.time).toISOString(),
          resolvedAt: new Date(resolved.time).toISOString(),
        },
      ],
    });

    // A later marker on the same partition proves the redeliveries were consumed, and changed nothing.
    // It is a release recorded before coded contraindications (v1): still read, with no population to check.
    const marker = randomUUID();
    await publisher.publish([
      asKafkaMessage(
        makeEvent(
          'model.version.released',
          {
            ...facts,
            versionId: marker,
            version: '1.0.1',
            artifactDigest: `sha256:${'c'.repeat(64)}`,
            intendedUse: 'x',
            contraindications: ['Patients under 18'],
            knownLimitations: [],
            evidenceRefs: [],
          },
          { version: 1 },
        ),
        prefix,
      ),
    ]);
    const v1 = await eventually(
      () => service.call('GET', `/model-catalogue/versions/${marker}`, { caller: actors.requester }),
      (res) => res.status === 200,
      60000,
      'the marker',
    );
    expect(v1.body).toMatchObject({ version: '1.0.1', status: 'released', population: null });
    expect((await service.call('GET', `/model-catalogue/versions/${versionId}`, { caller: actors.requester })).body).toEqual(version.body);

    const unknown = await service.call('GET', `/model-catalogue/versions/${randomUUID()}`, { caller: actors.requester });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'MODEL_VERSION.NOT_FOUND', type: 'urn:aal:problem:model_version.not_found' });
    const ready = await service.call('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual(expect.arrayContaining([{ name: 'model-catalogue', ok: true }]));
  });
});

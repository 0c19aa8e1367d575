import { subjectOf } from '@aal/contracts';
import { readEvents, runningUsageEvents } from '../../testing/usage-app';
import { at, clinicalSystem, otherTrust, otherTrustDeployment, outputBody } from '../../testing/usage.factories';

describe('usage-events API: incidents', () => {
  const usage = runningUsageEvents();
  const { call } = usage;

  // First in this file on purpose: the topic then holds exactly this event.
  it('reports an incident involving outputs and shows it, with its history, to the reporting organisation', async () => {
    const occurredAt = at(Date.now(), -120);
    const body = { outputIds: ['out-sepsis-0001', 'out-sepsis-0002'], harmReference: 'LFPSE:W123456', severity: 'moderate', occurredAt };
    const res = await call('POST', '/incidents', { body, caller: clinicalSystem });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ...body,
      incidentId: expect.any(String),
      organisationId: clinicalSystem.organisationId,
      reportedBy: clinicalSystem,
      revision: 1,
    });
    expect(res.body.history).toEqual([
      expect.objectContaining({ type: 'aal.incident.reported.v1', time: occurredAt, subject: subjectOf('incident', res.body.incidentId) }),
    ]);

    const view = await call('GET', `/incidents/${res.body.incidentId}`, { caller: clinicalSystem });
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.body)).toBe(JSON.stringify(res.body));

    const [published] = await readEvents(usage.app, 1);
    expect(published).toMatchObject({
      key: subjectOf('incident', res.body.incidentId),
      event: { type: 'aal.incident.reported.v1', time: occurredAt },
    });

    expect((await call('GET', `/incidents/${res.body.incidentId}`, { caller: otherTrust })).status).toBe(403);
    expect((await call('GET', '/incidents/7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918', { caller: clinicalSystem })).body.code).toBe(
      'INCIDENT.NOT_FOUND',
    );
  });

  it('refuses a future incident (422) and bad input (400 naming each field)', async () => {
    const future = await call('POST', '/incidents', {
      body: { outputIds: ['out-a-1'], harmReference: 'LFPSE:W1', occurredAt: at(Date.now(), 60) },
      caller: clinicalSystem,
    });
    expect(future.status).toBe(422);
    expect(future.body.code).toBe('USAGE.OCCURRED_IN_FUTURE');

    const bad = await call('POST', '/incidents', {
      body: { outputIds: [], harmReference: '', severity: 'awful', occurredAt: at(Date.now(), -1) },
      caller: clinicalSystem,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/harmReference', '/outputIds', '/severity']);
  });

  it("refuses an incident naming another organisation's output (403), and records nothing", async () => {
    const theirs = outputBody(at(Date.now(), -300), { deploymentId: otherTrustDeployment.deploymentId });
    expect((await call('POST', '/outputs', { body: theirs, caller: otherTrust })).status).toBe(201);
    const mine = outputBody(at(Date.now(), -300));
    expect((await call('POST', '/outputs', { body: mine, caller: clinicalSystem })).status).toBe(201);

    const body = {
      outputIds: [mine.outputId, theirs.outputId],
      harmReference: 'LFPSE:W999999',
      severity: 'low',
      occurredAt: at(Date.now(), -60),
    };
    const refused = await call('POST', '/incidents', { body, caller: clinicalSystem });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'INCIDENT.FOREIGN_OUTPUT', outputIds: [theirs.outputId] });

    const own = await call('POST', '/incidents', { body: { ...body, outputIds: [mine.outputId] }, caller: clinicalSystem });
    expect(own.status).toBe(201);
    expect(own.body.revision).toBe(1);
  });
});

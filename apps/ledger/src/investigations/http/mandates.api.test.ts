import { subjectOf } from '@aal/contracts';
import { actors, eventually, type httpClient, makeEvent, testCheckpointSettings } from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { TestLedger } from '../../testing/test-ledger';
import { grantors, incidentScenario, investigators, whenKnown } from '../testing/case-scenario';

// Investigations need a mandate (issue #11), through the ledger's HTTP API against real Kafka and
// PostgreSQL: an investigator of hsib opens cases on st-swithins' records only under a referral,
// a data controller's grant or a regulator's mandate; on hsib's own records without one.

const { lead, regulator: cqcInvestigator } = investigators;
const { safetyOfficer, dataController, otherDataController, regulator } = grantors;

describe('ledger API: investigation mandates', () => {
  let ledger: TestLedger;
  let call: ReturnType<typeof httpClient>;
  const first = incidentScenario();
  const second = incidentScenario();
  const ownOutputId = `out-hsib-${randomUUID()}`;
  let grantId: string;
  let grantedCaseId: string;

  const openCase = (caller: (typeof investigators)[keyof typeof investigators], scope: { incidentId: string } | { outputIds: string[] }) =>
    whenKnown(() => call('POST', '/cases', { caller, body: { title: 'Escalated sepsis alert', ...scope } }));
  const grant = (caller: (typeof grantors)[keyof typeof grantors], body: Record<string, unknown>) =>
    whenKnown(() =>
      call('POST', '/mandates', {
        caller,
        body: { investigatingOrganisationId: lead.organisationId, reference: 'Letter 2026-117', ...body },
      }),
    );

  beforeAll(async () => {
    ledger = await TestLedger.start('mandates-test', {
      checkpoints: testCheckpointSettings('mandates.test/aal', { minIntervalMs: 50, idleIntervalMs: 200 }).settings,
    });
    call = ledger.call;
    // An output of the investigating organisation itself (a trust's own patient-safety team).
    const own = makeEvent('output.generated', {
      outputId: ownOutputId,
      organisationId: 'hsib',
      deploymentId: randomUUID(),
      modelId: randomUUID(),
      versionId: randomUUID(),
      subjectRef: 'psn_subject00099',
      outputDigest: `sha256:${'d'.repeat(64)}`,
      site: 'ward-1',
      actor: { ...actors.clinicalSystem, organisationId: 'hsib' },
    });
    const events = [...first.events, ...second.events, own];
    await ledger.publish(events);
    await ledger.checkpoint((treeSize) => treeSize >= events.length, 'a checkpoint of both scenarios', 30000);
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it("refuses a case on another organisation's output or incident without a mandate, naming what lacks one and how to get one", async () => {
    const byOutput = await openCase(lead, { outputIds: [first.ids.outputId] });
    expect(byOutput.status).toBe(403);
    expect(byOutput.headers.get('content-type')).toContain('application/problem+json');
    expect(byOutput.body).toMatchObject({
      code: 'CASE.NO_MANDATE',
      uncovered: [{ kind: 'output', id: first.ids.outputId, organisationId: 'st-swithins' }],
    });
    expect(byOutput.body.detail).toContain(`no mandate in force lets hsib investigate output ${first.ids.outputId} of st-swithins`);
    expect(byOutput.body.detail).toMatch(/incident-referral.*data-controller-grant.*regulator-mandate/);
    const byIncident = await openCase(lead, { incidentId: first.ids.incidentId });
    expect(byIncident.body).toMatchObject({
      code: 'CASE.NO_MANDATE',
      uncovered: [
        { kind: 'incident', id: first.ids.incidentId },
        { kind: 'output', id: first.ids.outputId },
      ],
    });
  });

  it("opens a case on the investigator's own organisation's records without a mandate, recording that basis", async () => {
    const opened = await openCase(lead, { outputIds: [ownOutputId] });
    expect(opened.status).toBe(201);
    expect(opened.body.basis).toEqual([{ organisationId: 'hsib', by: 'own-organisation' }]);
  });

  it("refuses a referral or grant of records that are not the caller's organisation's, and a mandate kind the caller's role cannot give", async () => {
    const foreign = await grant(otherDataController, {
      kind: 'data-controller-grant',
      scope: { kind: 'outputs', outputIds: [first.ids.outputId] },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ code: 'MANDATE.NOT_OWN_RECORDS' });
    expect(foreign.body.detail).toContain(`output ${first.ids.outputId} belongs to st-swithins`);
    const referral = await grant(otherDataController, {
      kind: 'incident-referral',
      scope: { kind: 'incident', incidentId: first.ids.incidentId },
    });
    expect(referral.body.code).toBe('MANDATE.NOT_OWN_RECORDS');
    const wrongRole = await grant(safetyOfficer, {
      kind: 'data-controller-grant',
      scope: { kind: 'outputs', outputIds: [first.ids.outputId] },
    });
    expect(wrongRole).toMatchObject({ status: 403, body: { code: 'MANDATE.ROLE_NOT_ALLOWED' } });
    const requester = await call('POST', '/mandates', {
      caller: actors.requester,
      body: {
        kind: 'incident-referral',
        investigatingOrganisationId: 'hsib',
        scope: { kind: 'incident', incidentId: first.ids.incidentId },
        reference: 'x',
      },
    });
    expect(requester.status).toBe(403);
    const unknown = await call('POST', '/mandates', {
      caller: safetyOfficer,
      body: {
        kind: 'incident-referral',
        investigatingOrganisationId: 'hsib',
        scope: { kind: 'incident', incidentId: randomUUID() },
        reference: 'x',
      },
    });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'INCIDENT.NOT_FOUND' } });
    expect((await call('GET', '/mandates', { caller: dataController })).body.mandates).toEqual([]);
  });

  it('lets a referral of one incident cover that incident and the outputs it names, and nothing else', async () => {
    const referred = await grant(safetyOfficer, {
      kind: 'incident-referral',
      scope: { kind: 'incident', incidentId: second.ids.incidentId },
      reference: 'Referral SW-2026-117',
    });
    expect(referred.status).toBe(201);
    expect(referred.body).toMatchObject({
      status: 'granted',
      kind: 'incident-referral',
      organisationId: 'st-swithins',
      grantingOrganisationId: 'st-swithins',
      investigatingOrganisationId: 'hsib',
      grantedBy: safetyOfficer,
    });
    expect((await openCase(lead, { incidentId: second.ids.incidentId })).status).toBe(201);
    const byOutput = await openCase(lead, { outputIds: [second.ids.outputId] });
    expect(byOutput.status).toBe(201);
    expect(byOutput.body.basis).toEqual([{ organisationId: 'st-swithins', by: 'mandate', mandateIds: [referred.body.mandateId] }]);
    // A mandate for another incident does not cover this one, nor its output.
    expect((await openCase(lead, { incidentId: first.ids.incidentId })).body.code).toBe('CASE.NO_MANDATE');
    expect((await openCase(lead, { outputIds: [first.ids.outputId, second.ids.outputId] })).body).toMatchObject({
      code: 'CASE.NO_MANDATE',
      uncovered: [{ id: first.ids.outputId }],
    });
    // Nor does it cover another investigating organisation.
    expect((await openCase(cqcInvestigator, { incidentId: second.ids.incidentId })).body.code).toBe('CASE.NO_MANDATE');
  });

  it("opens a case once the organisation's data controller grants access, and the chain is readable; the grant is in the case's record", async () => {
    const granted = await grant(dataController, {
      kind: 'data-controller-grant',
      scope: { kind: 'outputs', outputIds: [first.ids.outputId] },
    });
    expect(granted.status).toBe(201);
    grantId = granted.body.mandateId;
    const opened = await openCase(lead, { outputIds: [first.ids.outputId] });
    expect(opened.status).toBe(201);
    expect(opened.body.basis).toEqual([{ organisationId: 'st-swithins', by: 'mandate', mandateIds: [grantId] }]);
    grantedCaseId = opened.body.caseId;
    const chain = await call('GET', `/cases/${grantedCaseId}/outputs/${first.ids.outputId}/accountability`, { caller: lead });
    expect(chain.status).toBe(200);
    expect(chain.body.actedOn.actions.length).toBeGreaterThan(0);

    // Both the mandate and the case's basis reach the log through the ledger's outbox and intake.
    const timeline = await eventually(
      () => call('GET', `/cases/${grantedCaseId}/timeline`, { caller: lead }),
      (r) => r.status === 200 && ['mandate.granted', 'case.opened'].every((t) => r.body.entries.some((e: any) => e.type === t)),
      30000,
      'the mandate and the case in the log',
    );
    const entries = timeline.body.entries as any[];
    expect(entries.find((e) => e.type === 'mandate.granted')).toMatchObject({
      eventType: 'aal.mandate.granted.v1',
      subject: subjectOf('mandate', grantId),
      source: expect.stringMatching(/^\/aal\/ledger\//),
    });
    expect(entries.find((e) => e.type === 'case.opened')).toMatchObject({
      eventType: 'aal.case.opened.v2',
      summary: expect.stringContaining(`st-swithins under mandate ${grantId}`),
    });

    const listed = (await call('GET', '/mandates', { caller: dataController })).body.mandates as any[];
    expect(listed.map((m) => m.mandateId)).toContain(grantId);
    expect((await call('GET', '/mandates', { caller: lead })).body.mandates.map((m: any) => m.mandateId)).toContain(grantId);
    expect((await call('GET', '/mandates', { caller: cqcInvestigator })).body.mandates).toEqual([]);
  });

  it("lets a regulator mandate an investigating body over all of an organisation's records", async () => {
    expect((await openCase(cqcInvestigator, { incidentId: first.ids.incidentId })).body.code).toBe('CASE.NO_MANDATE');
    const wide = await call('POST', '/mandates', {
      caller: regulator,
      body: {
        kind: 'regulator-mandate',
        investigatingOrganisationId: 'cqc',
        organisationId: 'st-swithins',
        scope: { kind: 'organisation' },
        reference: 'Mandate REG-2026-9',
        until: '2099-01-01T00:00:00.000Z',
      },
    });
    expect(wide.status).toBe(201);
    expect(wide.body).toMatchObject({
      kind: 'regulator-mandate',
      organisationId: 'st-swithins',
      grantingOrganisationId: 'care-regulator',
      investigatingOrganisationId: 'cqc',
    });
    expect((await openCase(cqcInvestigator, { incidentId: first.ids.incidentId })).status).toBe(201);
    expect((await openCase(cqcInvestigator, { outputIds: [second.ids.outputId] })).status).toBe(201);
    // Not a record of the organisation it covers.
    expect((await openCase(cqcInvestigator, { outputIds: [ownOutputId] })).body.code).toBe('CASE.NO_MANDATE');
  });

  it('stops new cases once the grant is revoked by its granter; the case opened under it stays readable', async () => {
    expect((await call('POST', `/mandates/${grantId}/revoke`, { caller: otherDataController, body: {} })).body.code).toBe(
      'MANDATE.ACCESS_DENIED',
    );
    const revoked = await call('POST', `/mandates/${grantId}/revoke`, {
      caller: dataController,
      body: { reason: 'Investigation concluded.' },
    });
    expect(revoked).toMatchObject({ status: 200, body: { status: 'revoked', revokedBy: dataController } });
    expect((await openCase(lead, { outputIds: [first.ids.outputId] })).body.code).toBe('CASE.NO_MANDATE');
    expect((await call('GET', `/cases/${grantedCaseId}`, { caller: lead })).status).toBe(200);
    expect((await call('POST', `/mandates/${grantId}/revoke`, { caller: dataController, body: {} })).body.code).toBe('MANDATE.REVOKED');
  });

  it('answers a case on an output the ledger does not hold with 404 OUTPUT.NOT_FOUND', async () => {
    const unknown = await call('POST', '/cases', { caller: lead, body: { title: 'x', outputIds: ['out-unknown-to-ledger'] } });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'OUTPUT.NOT_FOUND' } });
  });
});

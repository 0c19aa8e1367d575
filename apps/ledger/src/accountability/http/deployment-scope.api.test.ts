import type { DeploymentScope } from '@aal/contracts';
import { actors, eventually, makeEvent, tokenFor } from '@aal/testing';
import { deploymentChain } from '../../oversight/testing/oversight-scenario';
import { TestLedger } from '../../testing/test-ledger';

// A deployment's approved scope through the public API, on real Kafka and PostgreSQL: the
// factory's deployment of st-swithins, approved (deployment.approved v2) for wards 7A and 7B on
// 2026-09-28; on 2026-10-10 the clinical safety officer narrows it to ward 7A, back-dated to
// 2026-10-08 (deployment.scope-changed).

const admin = { organisationId: 'st-swithins', personId: 'psn_empadmin0001', role: 'employer-admin' };
const approver = { organisationId: 'st-swithins', personId: 'psn_cso000000001', role: 'employer-approver' };
const otherApprover = { organisationId: 'other-hospital', personId: 'psn_oh_cso000001', role: 'employer-approver' };
const investigator = { organisationId: 'st-swithins', personId: 'psn_sw_invest0001', role: 'investigator' };
const clinicalSystem = { organisationId: 'st-swithins', personId: 'psn_eprsystem001', role: 'clinical-system' };

const narrowed: DeploymentScope = {
  sites: ['ward-7a'],
  services: ['Acute medicine'],
  roles: ['staff-nurse'],
  population: { ageBands: ['18-39', '40-64', '65-79', '80-plus'], excludedContraindicationCodes: [] },
  uses: ['advisory'],
};

describe('ledger API: GET /deployments/{id}/scope', () => {
  let ledger: TestLedger;
  let auditorAll: string;
  let auditorOther: string;
  let approvalSeq: number;
  let changeSeq: number;
  const chain = deploymentChain('advisory');
  const deploymentId = chain.ids.deploymentId;
  const change = makeEvent(
    'deployment.scope-changed',
    {
      deploymentId,
      employerId: 'st-swithins',
      scope: narrowed,
      reviewDate: '2027-04-01',
      reason: 'Ward 7A only until the first review.',
      effectiveAt: '2026-10-08T00:00:00.000Z',
      actor: actors.safetyOfficer,
    },
    { time: '2026-10-10T09:00:00.000Z' },
  );

  const get = (path: string, caller: object = admin) => ledger.call('GET', path, { caller: caller as never });
  const getWith = async (path: string, token: string) => {
    const res = await fetch(`${ledger.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as any };
  };
  const scope = (query = '') => `/deployments/${deploymentId}/scope${query}`;
  const seqOf = (eventId: string): Promise<number> =>
    ledger.asAdmin(async (client) =>
      Number((await client.query('SELECT seq FROM ledger.entries WHERE event_id = $1', [eventId])).rows[0].seq),
    );

  beforeAll(async () => {
    ledger = await TestLedger.start('deployment-scope-api');
    auditorAll = await tokenFor(
      { organisationId: 'national-audit', personId: 'psn_auditor00001', role: 'auditor' },
      { roles: ['auditor'], grants: ['all-organisations'] },
    );
    auditorOther = await tokenFor({ organisationId: 'national-audit', personId: 'psn_auditor00002', role: 'auditor' });
    await ledger.publish(chain.events);
    await eventually(
      () => get(scope()),
      (r) => r.status === 200 && r.body.knownAt.seq >= chain.events.length - 1,
      60000,
      'the chain projected',
    );
    await ledger.publish([change]);
    await eventually(
      () => get(scope()),
      (r) => r.status === 200 && r.body.scopeChanges.length === 1,
      60000,
      'the scope change projected',
    );
    await ledger.checkpoint((size) => size >= chain.events.length + 1, 'a checkpoint holding the scope change');
    approvalSeq = await seqOf(chain.events.find((e) => e.type.startsWith('aal.deployment.approved.'))!.id);
    changeSeq = await seqOf(change.id);
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it("shows the employer's own staff the approval and the scope in force, each with its proven entries and the checkpoint that proves them", async () => {
    const { status, body } = await get(scope('?asOf=2026-10-01T00:00:00Z'));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      deploymentId,
      employerId: 'st-swithins',
      asOf: '2026-10-01T00:00:00.000Z',
      asOfSource: 'requested',
      knownAt: { seq: expect.any(Number), source: 'latest' },
      approval: { conditions: ['Two-week shadow period'], approvedBy: actors.safetyOfficer, evidence: [approvalSeq] },
      scope: { source: 'deployment.approved', scope: { sites: ['ward-7a', 'ward-7b'] }, evidence: [approvalSeq] },
      stateAtAsOf: { state: 'active' },
      scopeChanges: [{ effectiveAt: '2026-10-08T00:00:00.000Z', effectiveByAsOf: false, evidence: [changeSeq] }],
    });
    expect(body.scope.inclusionProofs).toEqual([`/entries/${approvalSeq}/inclusion-proof?treeSize=${body.knownAt.seq + 1}`]);
    expect(body.basis.checkpoint).toEqual({ treeSize: expect.any(Number), rootHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(body.basis.checkpoint.treeSize).toBeGreaterThan(body.knownAt.seq);
    expect(body.basis.seqs).toEqual(expect.arrayContaining([approvalSeq, changeSeq]));
    expect([...body.basis.seqs].sort((a: number, b: number) => a - b)).toEqual(body.basis.seqs);
    expect((await get(scope(), approver)).status).toBe(200);
  });

  it('reflects the scope change from when it took effect, marked back-dated before it was made, and not before the ledger knew of it', async () => {
    const backDated = (await get(scope('?asOf=2026-10-09T00:00:00Z'))).body;
    expect(backDated.scope).toMatchObject({
      source: 'deployment.scope-changed',
      scope: narrowed,
      reason: 'Ward 7A only until the first review.',
      decidedBy: actors.safetyOfficer,
      evidence: [changeSeq],
      backDated: true,
    });
    expect(backDated.reviewDateInForce).toMatchObject({ reviewDate: '2027-04-01', source: 'deployment.scope-changed' });
    expect(backDated.scopeChanges[0].effectiveByAsOf).toBe(true);
    // Without asOf: as of the last entry known, when the change was long made.
    const latest = (await get(scope())).body;
    expect(latest).toMatchObject({ asOfSource: 'known-at', asOf: latest.knownAt.recordedAt });
    expect(latest.scope).toMatchObject({ source: 'deployment.scope-changed', evidence: [changeSeq] });
    expect(latest.scope.backDated).toBeUndefined();
    // What the ledger knew before the change was recorded: the approval's scope, and no change.
    const before = (await get(scope(`?asOf=2026-10-09T00:00:00Z&knownAt=${changeSeq - 1}`))).body;
    expect(before.knownAt).toMatchObject({ seq: changeSeq - 1, source: 'requested' });
    expect(before.scope).toMatchObject({ source: 'deployment.approved', evidence: [approvalSeq] });
    expect(before.scopeChanges).toEqual([]);
    expect(before.basis.seqs).not.toContain(changeSeq);
  });

  it('refuses another organisation’s employer and auditors without the grant, and admits auditors with it', async () => {
    const foreign = await get(scope(), otherApprover);
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    expect(foreign.body).toMatchObject({ status: 403, code: 'AUTH.OTHER_ORGANISATION' });
    expect(foreign.body.detail).toBe(
      `deployment ${deploymentId} belongs to another organisation; organisation other-hospital cannot read it`,
    );
    expect((await getWith(scope(), auditorAll)).status).toBe(200);
    expect((await getWith(scope(), auditorOther)).body.code).toBe('AUTH.OTHER_ORGANISATION');
    expect((await get(scope(), clinicalSystem)).status).toBe(403);
    expect((await get(scope(), investigator)).status).toBe(403);
    expect((await ledger.call('GET', scope())).status).toBe(401);
  });

  it('answers an unknown deployment and bad parameters with problem details naming them', async () => {
    const unknown = await get('/deployments/00000000-0000-4000-8000-000000000000/scope');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body.code).toBe('DEPLOYMENT.NOT_FOUND');
    expect(unknown.body.detail).toMatch(
      /^the ledger holds no deployment.requested for deployment 00000000-0000-4000-8000-000000000000 among the entries it knew up to seq \d+/,
    );
    const bad = await get(scope('?asOf=yesterday&colour=red'));
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('REQUEST.INVALID');
    expect(bad.body.errors.map((e: any) => e.pointer)).toEqual(expect.arrayContaining(['/asOf']));
    expect((await get('/deployments/not-a-uuid/scope')).status).toBe(400);
  });

  it("lets investigators read it through an open case about one of the deployment's outputs, recording the read", async () => {
    const opened = await ledger.call('POST', '/cases', {
      caller: investigator as never,
      body: { title: 'Ward 7B outputs', outputIds: [chain.ids.outputId] },
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId;
    const path = `/cases/${caseId}/deployments/${deploymentId}/scope?asOf=2026-10-09T00:00:00Z`;
    const read = await get(path, investigator);
    expect(read.status).toBe(200);
    const own = (await get(scope(`?asOf=2026-10-09T00:00:00Z&knownAt=${read.body.knownAt.seq}`))).body;
    for (const part of ['approval', 'scope', 'reviewDateInForce', 'scopeChanges'])
      expect(JSON.stringify(read.body[part]).replaceAll(/treeSize=\d+/g, '')).toBe(
        JSON.stringify(own[part]).replaceAll(/treeSize=\d+/g, ''),
      );
    const outside = await get(`/cases/${caseId}/deployments/00000000-0000-4000-8000-000000000000/scope`, investigator);
    expect(outside.status).toBe(404);
    expect(outside.body.code).toBe('CASE.DEPLOYMENT_NOT_IN_CASE');
    const reads = await eventually(
      () =>
        ledger.asAdmin(async (client) =>
          (
            await client.query("SELECT convert_from(value, 'UTF8')::jsonb AS data FROM ledger.entries WHERE type = 'aal.case.read.v1'")
          ).rows.map((r) => r.data),
        ),
      (rows) => rows.some((d) => d.caseId === caseId && d.view === 'scope'),
      30000,
      'the scope read recorded in the log',
    );
    expect(reads.find((d) => d.view === 'scope')).toMatchObject({ caseId, view: 'scope', deploymentId, contentDigest: expect.any(String) });
  });
});

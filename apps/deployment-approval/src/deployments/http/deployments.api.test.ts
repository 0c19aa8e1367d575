import { subjectOf, validateEvent, type CloudEvent } from '@aal/contracts';
import { startProducer, type RunningProducer } from '@aal/testing';
import { approvedScope } from '@aal/testing/unit';
import { AppModule } from '../../app.module';
import { REVIEW_DATE_ACTOR_PERSON, ReviewDateExpiry } from '../application/review-date-expiry';
import { DEPLOYMENT_APPROVAL_SCHEMA } from '../../database/deployment-approval.schema';
import { catalogueVersion } from '../../testing/catalogued-version';

const requester = { organisationId: 'st-swithins', personId: 'psn_digitallead01', role: 'employer-requester' };
const safetyOfficer = { organisationId: 'st-swithins', personId: 'psn_safetyofficer1', role: 'employer-approver' };
const operator = { organisationId: 'st-swithins', personId: 'psn_opsmanager001', role: 'employer-admin' };
const otherTrust = { organisationId: 'other-trust', personId: 'psn_othertrustcso', role: 'employer-approver' };
const otherTrustAdmin = { organisationId: 'other-trust', personId: 'psn_othertrustadm', role: 'employer-admin' };

const request = {
  modelId: '0f5d2d51-2c43-4a8e-bb2f-6b1e9e7c3d20',
  versionId: '9a1c2e37-7d4b-4f1a-8c55-0e2b3f4a5b61',
  setting: { sites: ['north-ward', 'south-ward'], services: ['Acute medicine'], roles: ['staff-nurse', 'registrar'] },
  intendedUse: 'Early warning of sepsis in adult inpatients; advisory only.',
};
const approval = {
  conditions: ['Advisory use only', 'Monthly audit of overrides'],
  hazardLogRef: 'HL-2025-014',
  reviewDate: '2099-01-31',
  scope: { ...approvedScope(request.setting), uses: ['advisory', 'mandatory'] },
};
const policy = {
  use: 'mandatory',
  roles: ['staff-nurse'],
  sites: ['north-ward'],
  humanReviewRequired: true,
  minimumReviewSeconds: 30,
  effectiveFrom: '2025-01-13T09:00:00.000Z',
  summary: 'Review every alert before acting on it.',
};
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('deployment-approval API: deployments', () => {
  let service: RunningProducer;
  let call: RunningProducer['call'];

  beforeAll(async () => {
    service = await startProducer('deployment-approval', DEPLOYMENT_APPROVAL_SCHEMA, (config) => AppModule.register(config));
    call = service.call;
    // Approval needs the version in the model catalogue, which learns it from model-registry's topic.
    await catalogueVersion(service, request);
  });

  afterAll(async () => {
    await service?.close();
  });

  async function requested(): Promise<string> {
    const res = await call('POST', '/deployments', { body: request, caller: requester });
    expect(res.status).toBe(201);
    return res.body.deploymentId as string;
  }

  async function approved(body: object = approval): Promise<string> {
    const id = await requested();
    expect((await call('POST', `/deployments/${id}/approval`, { body, caller: safetyOfficer })).status).toBe(201);
    return id;
  }

  async function active(): Promise<string> {
    const id = await approved();
    expect((await call('POST', `/deployments/${id}/activation`, { body: { sites: ['north-ward'] }, caller: operator })).status).toBe(201);
    return id;
  }

  // First in the file: the topic then holds exactly this test's five events.
  it('requests, approves (by another person), activates, issues a policy and records training, publishing valid CloudEvents in order', async () => {
    const created = await call('POST', '/deployments', { body: request, caller: requester });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...request,
      employerId: 'st-swithins',
      status: 'requested',
      requestedBy: requester,
      policies: [],
      transitions: [{ status: 'requested', by: requester, at: expect.stringMatching(ISO_TIME) }],
      revision: 1,
    });
    const id = created.body.deploymentId as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const approvedRes = await call('POST', `/deployments/${id}/approval`, { body: approval, caller: safetyOfficer });
    expect(approvedRes.status).toBe(201);
    expect(approvedRes.body).toMatchObject({ status: 'approved', approvedBy: safetyOfficer, ...approval, revision: 2 });

    const activatedRes = await call('POST', `/deployments/${id}/activation`, { body: { sites: ['north-ward'] }, caller: operator });
    expect(activatedRes.status).toBe(201);
    expect(activatedRes.body).toMatchObject({ status: 'active', activatedBy: operator, activeSites: ['north-ward'] });

    const policyRes = await call('POST', `/deployments/${id}/usage-policies`, { body: policy, caller: operator });
    expect(policyRes.status).toBe(201);
    const policyId = policyRes.body.policyId as string;
    expect(policyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(policyRes.body).toMatchObject({ deploymentId: id, status: 'active', policies: [{ ...policy, policyId, issuedBy: operator }] });

    const training = await call('POST', '/training-records', {
      body: {
        professionalId: 'psn_staffnurse0001',
        deploymentId: id,
        course: 'SepsisWatch for ward nurses',
        completedAt: '2025-01-20T14:00:00.000Z',
      },
      caller: operator,
    });
    expect(training.status).toBe(201);
    const trainingId = training.body.trainingId as string;
    expect(training.body).toMatchObject({
      employerId: 'st-swithins',
      professionalId: 'psn_staffnurse0001',
      deploymentId: id,
      recordedBy: operator,
    });

    const view = await call('GET', `/deployments/${id}`, { caller: requester });
    expect(view.status).toBe(200);
    expect(view.body.transitions.map((t: { status: string; by: unknown }) => [t.status, t.by])).toEqual([
      ['requested', requester],
      ['approved', safetyOfficer],
      ['active', operator],
    ]);
    expect(view.body.revision).toBe(4);
    expect(view.body.history.map((e: CloudEvent) => e.type)).toEqual([
      'aal.deployment.requested.v1',
      'aal.deployment.approved.v2',
      'aal.deployment.activated.v1',
      'aal.usage-policy.issued.v1',
    ]);

    const messages = await service.readEvents(5);
    expect(messages.every((m) => validateEvent(m.event).length === 0)).toBe(true);
    const ofDeployment = messages.map((m) => [m.key, m.event] as const).filter(([key]) => key === subjectOf('deployment', id));
    expect(ofDeployment.map(([, e]) => e.type)).toEqual(view.body.history.map((e: CloudEvent) => e.type));
    expect(ofDeployment.map(([, e]) => e.id)).toEqual(view.body.history.map((e: CloudEvent) => e.id));
    expect(ofDeployment[0]![1].data).toMatchObject({ employerId: 'st-swithins', actor: requester });
    expect(ofDeployment[1]![1].data).toMatchObject({ actor: safetyOfficer, hazardLogRef: 'HL-2025-014', scope: approval.scope });
    const trainingEvents = messages.filter((m) => m.key === subjectOf('training', trainingId));
    expect(trainingEvents.map((m) => m.event.type)).toEqual(['aal.training.recorded.v1']);
  });

  it('refuses approval by the person who requested the deployment', async () => {
    const id = await requested();
    const res = await call('POST', `/deployments/${id}/approval`, { body: approval, caller: { ...requester, role: 'employer-approver' } });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      status: 422,
      code: 'DEPLOYMENT.SELF_APPROVAL',
      type: 'urn:aal:problem:deployment.self_approval',
      deploymentId: id,
    });
    const rejection = await call('POST', `/deployments/${id}/rejection`, {
      body: { reason: 'Changed my mind.' },
      caller: { ...requester, role: 'employer-approver' },
    });
    expect(rejection.status).toBe(422);
    expect(rejection.body.code).toBe('DEPLOYMENT.SELF_APPROVAL');
    const view = await call('GET', `/deployments/${id}`, { caller: requester });
    expect(view.body).toMatchObject({ status: 'requested', revision: 1 });
    expect(view.body.history).toHaveLength(1);
  });

  it("refuses any action on another organisation's deployment", async () => {
    const id = await requested();
    const approve = await call('POST', `/deployments/${id}/approval`, { body: approval, caller: otherTrust });
    expect(approve.status).toBe(403);
    expect(approve.body).toMatchObject({ code: 'DEPLOYMENT.NOT_OWNER', status: 403 });
    const policyRes = await call('POST', `/deployments/${id}/usage-policies`, { body: policy, caller: otherTrustAdmin });
    expect(policyRes.status).toBe(403);
    expect(policyRes.body).toMatchObject({ code: 'DEPLOYMENT.NOT_OWNER', status: 403 });
    const read = await call('GET', `/deployments/${id}`, { caller: otherTrust });
    expect(read.status).toBe(403);
    expect(read.body).toMatchObject({ code: 'AUTH.OTHER_ORGANISATION', status: 403 });
    expect(read.body.history).toBeUndefined();
    expect((await call('GET', `/deployments/${id}`, { caller: requester })).body.revision).toBe(1);
  });

  it('refuses an invalid transition with 409 naming the state and the command', async () => {
    const id = await requested();
    const res = await call('POST', `/deployments/${id}/activation`, { body: { sites: ['north-ward'] }, caller: operator });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'DEPLOYMENT.INVALID_TRANSITION', from: 'requested', command: 'ActivateDeployment' });
    expect(res.body.detail).toMatch(/ActivateDeployment.*requested/);

    const live = await active();
    const again = await call('POST', `/deployments/${live}/approval`, { body: approval, caller: safetyOfficer });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ from: 'active', command: 'ApproveDeployment' });
  });

  it('answers bad input with 400 problems naming each field, and never takes the actor from the body', async () => {
    const res = await call('POST', '/deployments', {
      body: { ...request, modelId: 'sepsiswatch', setting: { sites: [], services: [] }, actor: safetyOfficer },
      caller: requester,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      type: 'urn:aal:problem:request.invalid',
      status: 400,
      code: 'REQUEST.INVALID',
      instance: '/deployments',
    });
    const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/modelId', '/setting/sites', '/setting/roles', '/actor']));

    const id = await requested();
    const badApproval = await call('POST', `/deployments/${id}/approval`, {
      body: { ...approval, reviewDate: '31/01/2099' },
      caller: safetyOfficer,
    });
    expect(badApproval.status).toBe(400);
    expect(badApproval.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/reviewDate']);
    const badPath = await call('POST', '/deployments/not-a-uuid/approval', { body: approval, caller: safetyOfficer });
    expect(badPath.status).toBe(400);
    const badPolicy = await call('POST', `/deployments/${id}/usage-policies`, {
      body: { ...policy, use: 'sometimes', minimumReviewSeconds: -1 },
      caller: operator,
    });
    expect(badPolicy.status).toBe(400);
    expect(badPolicy.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(
      expect.arrayContaining(['/use', '/minimumReviewSeconds']),
    );
    const anonymous = await call('POST', '/deployments', { body: request });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('AUTH.TOKEN_REQUIRED');
    expect((await call('GET', `/deployments/${id}`, { caller: requester })).body.revision).toBe(1);
  });

  it('suspends and reinstates an active deployment, recording who, why and when', async () => {
    const id = await active();
    const suspended = await call('POST', `/deployments/${id}/suspension`, {
      body: { reason: 'Vendor safety notice under review.', effectiveAt: '2025-02-01T08:00:00.000Z' },
      caller: safetyOfficer,
    });
    expect(suspended.status).toBe(201);
    expect(suspended.body.status).toBe('suspended');
    expect(suspended.body.transitions.at(-1)).toEqual({
      status: 'suspended',
      by: safetyOfficer,
      at: '2025-02-01T08:00:00.000Z',
      reason: 'Vendor safety notice under review.',
    });

    const before = Date.now();
    const reinstated = await call('POST', `/deployments/${id}/reinstatement`, {
      body: { reason: 'Mitigation in place.' },
      caller: safetyOfficer,
    });
    expect(reinstated.status).toBe(201);
    expect(reinstated.body).toMatchObject({ status: 'active', activeSites: ['north-ward'] });
    const last = reinstated.body.transitions.at(-1);
    expect(last).toMatchObject({ status: 'active', by: safetyOfficer, reason: 'Mitigation in place.' });
    // effectiveAt defaulted to the request time, which is also the CloudEvent time.
    expect(Date.parse(last.at)).toBeGreaterThanOrEqual(before - 1000);
    const event = reinstated.body.history.at(-1);
    expect(event).toMatchObject({
      type: 'aal.deployment.reinstated.v1',
      time: last.at,
      data: { effectiveAt: last.at, reason: 'Mitigation in place.' },
    });
    expect(reinstated.body.history.at(-2)).toMatchObject({
      type: 'aal.deployment.suspended.v1',
      data: { effectiveAt: '2025-02-01T08:00:00.000Z' },
    });
  });

  it('refuses activation at a site the deployment was not approved for, pointing at it', async () => {
    const id = await approved();
    const res = await call('POST', `/deployments/${id}/activation`, { body: { sites: ['north-ward', 'maternity'] }, caller: operator });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'DEPLOYMENT.OUTSIDE_APPROVED_SCOPE',
      parts: ['sites'],
      errors: [{ pointer: '/sites/1', rule: 'approved-site' }],
    });
  });

  it('expires a deployment only once its review date has come', async () => {
    const notDue = await approved();
    const early = await call('POST', `/deployments/${notDue}/expiry`, { body: {}, caller: operator });
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ code: 'DEPLOYMENT.NOT_YET_DUE', reviewDate: '2099-01-31' });

    const due = await approved({ ...approval, reviewDate: '2020-01-31' });
    const expired = await call('POST', `/deployments/${due}/expiry`, { body: {}, caller: operator });
    expect(expired.status).toBe(201);
    expect(expired.body.status).toBe('expired');
    expect(expired.body.history.at(-1)).toMatchObject({
      type: 'aal.deployment.expired.v1',
      data: { reviewDate: '2020-01-31', actor: operator },
    });
  });

  it('expires by itself every live deployment whose review date has come, as a system actor', async () => {
    const due = await approved({ ...approval, reviewDate: '2020-01-31' });
    const notDue = await approved();
    const expired = await service.app.get(ReviewDateExpiry).sweep();
    expect(expired).toBeGreaterThanOrEqual(1);
    const view = (await call('GET', `/deployments/${due}`, { caller: operator })).body;
    expect(view.status).toBe('expired');
    expect(view.history.at(-1)).toMatchObject({
      type: 'aal.deployment.expired.v1',
      data: { reviewDate: '2020-01-31', actor: { organisationId: 'st-swithins', personId: REVIEW_DATE_ACTOR_PERSON, role: 'system' } },
    });
    expect((await call('GET', `/deployments/${notDue}`, { caller: operator })).body.status).toBe('approved');
  });

  it('rejects a request for good and revokes a live deployment for good', async () => {
    const rejectedId = await requested();
    const rejected = await call('POST', `/deployments/${rejectedId}/rejection`, {
      body: { reason: 'Evidence does not cover our population.' },
      caller: safetyOfficer,
    });
    expect(rejected.status).toBe(201);
    expect(rejected.body.status).toBe('rejected');
    expect(rejected.body.transitions.at(-1)).toMatchObject({
      status: 'rejected',
      by: safetyOfficer,
      reason: 'Evidence does not cover our population.',
    });
    expect((await call('POST', `/deployments/${rejectedId}/approval`, { body: approval, caller: safetyOfficer })).status).toBe(409);

    const liveId = await active();
    const revoked = await call('POST', `/deployments/${liveId}/revocation`, {
      body: { reason: 'Replaced by another product.' },
      caller: safetyOfficer,
    });
    expect(revoked.status).toBe(201);
    expect(revoked.body.status).toBe('revoked');
    const reinstate = await call('POST', `/deployments/${liveId}/reinstatement`, { body: { reason: 'Try again.' }, caller: safetyOfficer });
    expect(reinstate.body).toMatchObject({ status: 409, from: 'revoked', command: 'ReinstateDeployment' });
  });

  it('issues usage policies only for approved deployments and their sites', async () => {
    const pending = await requested();
    const tooEarly = await call('POST', `/deployments/${pending}/usage-policies`, { body: policy, caller: operator });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body).toMatchObject({ from: 'requested', command: 'IssueUsagePolicy' });

    const id = await approved();
    const elsewhere = await call('POST', `/deployments/${id}/usage-policies`, {
      body: { ...policy, sites: ['maternity'] },
      caller: operator,
    });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body).toMatchObject({ code: 'DEPLOYMENT.OUTSIDE_APPROVED_SCOPE', errors: [{ pointer: '/sites/0' }] });
    const ok = await call('POST', `/deployments/${id}/usage-policies`, {
      body: { ...policy, use: 'advisory', sites: ['south-ward'] },
      caller: operator,
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      status: 'approved',
      policies: [{ policyId: ok.body.policyId, use: 'advisory', sites: ['south-ward'] }],
    });
  });

  it('answers unknown deployments with 404 and lists deployments by employer', async () => {
    const missing = await call('GET', '/deployments/00000000-0000-4000-8000-000000000000', { caller: requester });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('DEPLOYMENT.NOT_FOUND');
    const act = await call('POST', '/deployments/00000000-0000-4000-8000-000000000000/approval', { body: approval, caller: safetyOfficer });
    expect(act.status).toBe(404);

    const id = await requested();
    const mine = await call('GET', '/deployments?employerId=st-swithins&limit=100', { caller: requester });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ limit: 100, offset: 0 });
    expect(mine.body.items.map((d: { deploymentId: string }) => d.deploymentId)).toContain(id);
    expect(
      mine.body.items.every((d: { employerId: string; history?: unknown }) => d.employerId === 'st-swithins' && d.history === undefined),
    ).toBe(true);
    // Without an employer filter a list shows only the caller's own organisation.
    const own = await call('GET', '/deployments?limit=100', { caller: requester });
    expect(own.status).toBe(200);
    expect(own.body.items.map((d: { deploymentId: string }) => d.deploymentId)).toContain(id);
    expect(own.body.items.every((d: { employerId: string }) => d.employerId === 'st-swithins')).toBe(true);
    const othersOwn = await call('GET', '/deployments?limit=100', { caller: otherTrust });
    expect(othersOwn.status).toBe(200);
    expect(othersOwn.body.items).toEqual([]);
    // Another organisation's records cannot be listed, in either direction.
    const others = await call('GET', '/deployments?employerId=other-trust', { caller: requester });
    expect(others.status).toBe(403);
    expect(others.body.code).toBe('AUTH.OTHER_ORGANISATION');
    const ours = await call('GET', '/deployments?employerId=st-swithins', { caller: otherTrust });
    expect(ours.status).toBe(403);
    expect(ours.body.code).toBe('AUTH.OTHER_ORGANISATION');
    expect((await call('GET', '/deployments?limit=1000', { caller: requester })).status).toBe(400);
  });
});

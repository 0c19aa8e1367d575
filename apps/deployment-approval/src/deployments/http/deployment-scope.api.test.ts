import { subjectOf, validateEvent } from '@aal/contracts';
import type { Caller } from '@aal/http';
import { startProducer, type RunningProducer } from '@aal/testing';
import { AppModule } from '../../app.module';
import { DEPLOYMENT_APPROVAL_SCHEMA } from '../../database/deployment-approval.schema';
import { catalogueVersion } from '../../testing/catalogued-version';

const requester = { organisationId: 'st-swithins', personId: 'psn_wardmanager01', role: 'employer-requester' };
const safetyOfficer = { organisationId: 'st-swithins', personId: 'psn_safetyofficer1', role: 'employer-approver' };
const digitalLead = { organisationId: 'st-swithins', personId: 'psn_digitallead01', role: 'employer-admin' };

const request = {
  modelId: '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  versionId: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
  setting: { sites: ['ward-7a', 'ward-7b'], services: ['Acute medicine'], roles: ['staff-nurse', 'nurse-in-charge'] },
  intendedUse: 'Sepsis early warning on acute medical wards, advisory.',
};
const adults = ['18-39', '40-64', '65-79', '80-plus'];
/** The story of issue #14: approved for ward 7A only, nurses, advisory use, adults without the vendor's contraindication. */
const wardSevenA = {
  sites: ['ward-7a'],
  services: ['Acute medicine'],
  roles: ['staff-nurse'],
  population: { ageBands: adults, excludedContraindicationCodes: ['acme:under-18'] },
  uses: ['advisory'],
};
const approval = {
  conditions: ['Ward 7A only until the first review'],
  hazardLogRef: 'SW-HL-031',
  reviewDate: '2099-01-31',
  scope: wardSevenA,
};
const bothWards = {
  ...wardSevenA,
  sites: ['ward-7a', 'ward-7b'],
  roles: ['staff-nurse', 'nurse-in-charge'],
  uses: ['advisory', 'mandatory'],
};
const policy = {
  use: 'mandatory',
  roles: ['nurse-in-charge'],
  sites: ['ward-7b'],
  humanReviewRequired: true,
  minimumReviewSeconds: 60,
  effectiveFrom: '2026-01-05T08:00:00.000Z',
};

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const pointers = (body: { errors: Array<{ pointer: string; rule: string }> }) => body.errors.map((e) => [e.pointer, e.rule]);

describe('deployment-approval API: the approved scope, scope changes and reviews', () => {
  let service: RunningProducer;
  let call: RunningProducer['call'];

  beforeAll(async () => {
    service = await startProducer('deployment-approval', DEPLOYMENT_APPROVAL_SCHEMA, (config) => AppModule.register(config));
    call = service.call;
    await catalogueVersion(service, request);
  });

  afterAll(async () => {
    await service?.close();
  });

  async function approved(body: object = approval): Promise<string> {
    const created = await call('POST', '/deployments', { body: request, caller: requester });
    expect(created.status).toBe(201);
    const id = created.body.deploymentId as string;
    const res = await call('POST', `/deployments/${id}/approval`, { body, caller: safetyOfficer });
    expect(res.status).toBe(201);
    return id;
  }

  const post = (id: string, action: string, body: object, caller: Caller) => call('POST', `/deployments/${id}/${action}`, { body, caller });

  // First in the file: the topic then holds exactly this test's five events.
  it('refuses to go beyond ward 7A with 422s pointing at each field, until the safety officer records a scope change, then allows it', async () => {
    const id = await approved();

    const activation = await post(id, 'activation', { sites: ['ward-7a', 'ward-7b'] }, digitalLead);
    expect(activation.status).toBe(422);
    expect(activation.headers.get('content-type')).toContain('application/problem+json');
    expect(activation.body).toMatchObject({
      code: 'DEPLOYMENT.OUTSIDE_APPROVED_SCOPE',
      type: 'urn:aal:problem:deployment.outside_approved_scope',
      command: 'ActivateDeployment',
      parts: ['sites'],
    });
    expect(pointers(activation.body)).toEqual([['/sites/1', 'approved-site']]);
    expect(activation.body.detail).toContain('/sites/1 (ward-7b) is not among the approved sites (ward-7a)');

    const instructed = await post(id, 'usage-policies', policy, digitalLead);
    expect(instructed.status).toBe(422);
    expect(instructed.body).toMatchObject({ code: 'DEPLOYMENT.OUTSIDE_APPROVED_SCOPE', parts: ['sites', 'roles', 'uses'] });
    expect(pointers(instructed.body)).toEqual([
      ['/sites/0', 'approved-site'],
      ['/roles/0', 'approved-role'],
      ['/use', 'approved-use'],
    ]);
    expect((await call('GET', `/deployments/${id}`, { caller: requester })).body.revision).toBe(2);

    const reason = 'Ward 7B joins after the two-week shadow period; the nurse in charge may mandate its use.';
    const changed = await post(id, 'scope-changes', { scope: bothWards, reviewDate: '2099-06-30', reason }, safetyOfficer);
    expect(changed.status).toBe(201);
    expect(changed.body).toMatchObject({ status: 'approved', scope: bothWards, reviewDate: '2099-06-30', revision: 3 });
    expect(changed.body.history.at(-1)).toMatchObject({
      type: 'aal.deployment.scope-changed.v1',
      data: { scope: bothWards, reviewDate: '2099-06-30', reason, actor: safetyOfficer, effectiveAt: changed.body.history.at(-1).time },
    });

    expect((await post(id, 'activation', { sites: ['ward-7a', 'ward-7b'] }, digitalLead)).status).toBe(201);
    expect((await post(id, 'usage-policies', policy, digitalLead)).status).toBe(201);

    const messages = await service.readEvents(5);
    expect(messages.every((m) => m.key === subjectOf('deployment', id) && validateEvent(m.event).length === 0)).toBe(true);
    expect(messages.map((m) => m.event.type)).toEqual([
      'aal.deployment.requested.v1',
      'aal.deployment.approved.v2',
      'aal.deployment.scope-changed.v1',
      'aal.deployment.activated.v1',
      'aal.usage-policy.issued.v1',
    ]);
    expect(messages[1]!.event.data).toMatchObject({ scope: wardSevenA, conditions: approval.conditions });
    expect(messages[2]!.event.data).toMatchObject({ scope: bothWards, reason, actor: safetyOfficer });
  });

  it('records a renewed review, after which a policy past the old review date is allowed; the review date must lie ahead', async () => {
    const id = await approved({ ...approval, reviewDate: day(2) });
    const later = { ...policy, roles: ['staff-nurse'], sites: ['ward-7a'], use: 'advisory', effectiveFrom: `${day(3)}T08:00:00.000Z` };
    const refused = await post(id, 'usage-policies', later, digitalLead);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'DEPLOYMENT.OUTSIDE_APPROVED_SCOPE', parts: ['reviewDate'] });
    expect(pointers(refused.body)).toEqual([['/effectiveFrom', 'before-review-date']]);
    expect(refused.body.detail).toContain('renewed review');

    const tooEarly = await post(id, 'reviews', { summary: 'Review.', nextReviewDate: day(0) }, safetyOfficer);
    expect(tooEarly.status).toBe(422);
    expect(tooEarly.body).toMatchObject({ code: 'DEPLOYMENT.REVIEW_DATE_TOO_EARLY' });
    expect(pointers(tooEarly.body)).toEqual([['/nextReviewDate', 'after-effective-date']]);

    const summary = 'First review: alert volumes and override rates as expected; hazard log updated.';
    const reviewed = await post(id, 'reviews', { summary, hazardLogRef: 'SW-HL-031 rev 2', nextReviewDate: day(365) }, safetyOfficer);
    expect(reviewed.status).toBe(201);
    expect(reviewed.body).toMatchObject({ reviewDate: day(365), scope: wardSevenA });
    expect(reviewed.body.history.at(-1)).toMatchObject({
      type: 'aal.deployment.reviewed.v1',
      data: { summary, nextReviewDate: day(365), actor: safetyOfficer },
    });
    expect((await post(id, 'usage-policies', later, digitalLead)).status).toBe(201);

    // The first test's five events, then this one's four.
    const ofThis = (await service.readEvents(9)).filter((m) => m.key === subjectOf('deployment', id));
    expect(ofThis.map((m) => m.event.type)).toEqual([
      'aal.deployment.requested.v1',
      'aal.deployment.approved.v2',
      'aal.deployment.reviewed.v1',
      'aal.usage-policy.issued.v1',
    ]);
    expect(validateEvent(ofThis[2]!.event)).toEqual([]);
  });

  it('refuses a reinstatement at a ward the scope no longer includes, until a scope change includes it again', async () => {
    const id = await approved({ ...approval, scope: bothWards });
    expect((await post(id, 'activation', { sites: ['ward-7a', 'ward-7b'] }, digitalLead)).status).toBe(201);
    expect((await post(id, 'suspension', { reason: 'Alert storm on ward 7B.' }, safetyOfficer)).status).toBe(201);
    const narrowed = await post(
      id,
      'scope-changes',
      { scope: wardSevenA, reviewDate: '2099-06-30', reason: 'Ward 7B off.' },
      safetyOfficer,
    );
    expect(narrowed.status).toBe(201);

    const refused = await post(id, 'reinstatement', { reason: 'Alert thresholds fixed.' }, safetyOfficer);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'DEPLOYMENT.OUTSIDE_APPROVED_SCOPE', command: 'ReinstateDeployment', parts: ['sites'] });
    expect(pointers(refused.body)).toEqual([['', 'approved-site']]);
    expect(refused.body.detail).toContain('the deployment was active at ward-7b');

    expect(
      (await post(id, 'scope-changes', { scope: bothWards, reviewDate: '2099-06-30', reason: 'Ward 7B back.' }, safetyOfficer)).status,
    ).toBe(201);
    const reinstated = await post(id, 'reinstatement', { reason: 'Alert thresholds fixed.' }, safetyOfficer);
    expect(reinstated.status).toBe(201);
    expect(reinstated.body).toMatchObject({ status: 'active', activeSites: ['ward-7a', 'ward-7b'] });
  });

  it('lets only the safety officer change a scope, and only within the request and what the version is for', async () => {
    const id = await approved();
    const change = { scope: bothWards, reviewDate: '2099-06-30', reason: 'Both wards.' };
    const byAdmin = await post(id, 'scope-changes', change, digitalLead);
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.code).toBe('AUTH.ROLE_NOT_ALLOWED');
    expect((await post(id, 'reviews', { summary: 'x', nextReviewDate: '2099-06-30' }, digitalLead)).status).toBe(403);

    const beyond = await post(id, 'scope-changes', { ...change, scope: { ...bothWards, sites: ['ward-7a', 'maternity'] } }, safetyOfficer);
    expect(beyond.status).toBe(422);
    expect(beyond.body).toMatchObject({ code: 'DEPLOYMENT.SCOPE_INVALID', parts: ['sites'] });
    expect(pointers(beyond.body)).toEqual([['/scope/sites/1', 'requested-site']]);

    const children = { ...bothWards, population: { ageBands: ['16-17', ...adults], excludedContraindicationCodes: [] } };
    const contraindicated = await post(id, 'scope-changes', { ...change, scope: children }, safetyOfficer);
    expect(contraindicated.status).toBe(422);
    expect(pointers(contraindicated.body)).toEqual([
      ['/scope/population/ageBands/0', 'intended-population'],
      ['/scope/population/excludedContraindicationCodes', 'version-contraindication'],
    ]);
    expect(contraindicated.body.detail).toContain('acme:under-18, a contraindication of the version ("Patients under 18")');

    const incomplete = await post(id, 'scope-changes', { scope: bothWards, reviewDate: '2099-06-30' }, safetyOfficer);
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/reason']);
    expect((await call('GET', `/deployments/${id}`, { caller: requester })).body).toMatchObject({ revision: 2, scope: wardSevenA });
  });

  it('refuses an approval whose scope goes beyond the request or the version, and one without a scope', async () => {
    const created = await call('POST', '/deployments', { body: request, caller: requester });
    const id = created.body.deploymentId as string;
    const beyond = await post(id, 'approval', { ...approval, scope: { ...wardSevenA, roles: ['staff-nurse', 'porter'] } }, safetyOfficer);
    expect(beyond.status).toBe(422);
    expect(beyond.body).toMatchObject({ code: 'DEPLOYMENT.SCOPE_INVALID', parts: ['roles'] });
    expect(pointers(beyond.body)).toEqual([['/scope/roles/1', 'requested-role']]);
    const { scope: _scope, ...unscoped } = approval;
    const withoutScope = await post(id, 'approval', unscoped, safetyOfficer);
    expect(withoutScope.status).toBe(400);
    expect(withoutScope.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/scope']);
    expect((await call('GET', `/deployments/${id}`, { caller: requester })).body).toMatchObject({ status: 'requested', revision: 1 });
  });

  it('documents the scope-change and review routes in OpenAPI, with request schemas from the event contracts', async () => {
    const doc: any = await (await fetch(`${service.baseUrl}/docs/openapi.json`)).json();
    const body = (path: string) => doc.paths[path].post.requestBody.content['application/json'].schema;
    expect(Object.keys(body('/deployments/{deploymentId}/scope-changes').properties)).toEqual(
      expect.arrayContaining(['scope', 'reviewDate', 'reason', 'effectiveAt']),
    );
    expect(Object.keys(body('/deployments/{deploymentId}/reviews').properties)).toEqual(
      expect.arrayContaining(['summary', 'nextReviewDate', 'effectiveAt']),
    );
    expect(body('/deployments/{deploymentId}/approval').required).toContain('scope');
  });
});

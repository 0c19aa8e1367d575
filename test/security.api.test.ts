import { readTopic } from '@aal/kafka';
import type { RouteRow } from '../libs/auth/src/route-table';
import {
  createTestDatabase,
  createTestKafka,
  httpClient,
  startApp,
  testAuthSettings,
  testProducerConfig,
  testIdentity,
  TEST_ISSUER,
  tokenFor,
  type HttpResult,
} from '@aal/testing';
import type { Caller } from '@aal/http';
import { approvedScope } from '@aal/testing/unit';
import { SignJWT, UnsecuredJWT, type KeyLike } from 'jose';
import { randomUUID } from 'node:crypto';
import { MODEL_REGISTRY_SCHEMA } from '../apps/model-registry/src/database/model-registry.schema';
import { AppModule as ModelRegistry } from '../apps/model-registry/src/app.module';
import { discoverRoutes } from '../scripts/generate-security-docs';
import { A, B, outputBody, people, registerBody, release, seedChain, SERVICES, startFourServices } from './support/four-services';
import type { ChainIds, FourServices, Service } from './support/four-services';

// Issue #6 over HTTP, against all four services as main.ts builds them, on real PostgreSQL and
// Kafka: the bearer-token matrix, every route without a token, object-level checks with a valid
// token of another organisation (BOLA), mass assignment, the actor taken from the token, and the
// body, batch, page and rate limits.

/** For each service, a protected route, a caller it admits and a caller of a role it does not. */
const MATRIX: Record<Service, { method: string; path: () => string; caller: Caller; wrongRole: Caller }> = {
  'model-registry': { method: 'GET', path: () => '/models', caller: people.vendorA, wrongRole: people.clinicalA },
  'deployment-approval': { method: 'GET', path: () => '/deployments', caller: people.adminA, wrongRole: people.vendorA },
  'usage-events': { method: 'GET', path: () => `/outputs/out-${randomUUID()}`, caller: people.clinicalA, wrongRole: people.investigatorA },
  concerns: { method: 'GET', path: () => `/concerns/${randomUUID()}`, caller: people.intakeA, wrongRole: people.clinicalA },
  incidents: { method: 'GET', path: () => `/incidents/${randomUUID()}`, caller: people.approverA, wrongRole: people.clinicalA },
  ledger: { method: 'GET', path: () => `/cases/${randomUUID()}`, caller: people.investigatorA, wrongRole: people.clinicalA },
};

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token like the test identity provider's, with exactly one thing changed. */
async function craft(
  caller: Caller,
  service: Service,
  change: { alg?: string; key?: KeyLike | Uint8Array; kid?: string; issuer?: string; exp?: number; nbf?: number } = {},
): Promise<string> {
  const { key } = testIdentity();
  const now = nowSeconds();
  return new SignJWT({ org: caller.organisationId, roles: [caller.role] })
    .setProtectedHeader({ alg: change.alg ?? 'EdDSA', kid: change.kid ?? key.kid, typ: 'JWT' })
    .setSubject(caller.personId)
    .setIssuer(change.issuer ?? TEST_ISSUER)
    .setAudience(`aal:${service}`)
    .setIssuedAt(Math.min(now, change.nbf ?? now))
    .setNotBefore(change.nbf ?? now)
    .setExpirationTime(change.exp ?? now + 300)
    .sign(change.key ?? key.privateKey);
}

const otherService = (service: Service): Service => SERVICES[(SERVICES.indexOf(service) + 1) % SERVICES.length]!;

function expectProblem(res: HttpResult, status: number, code: string, detail?: string | RegExp): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, instance: expect.any(String) });
  if (detail !== undefined) expect(res.body.detail).toMatch(detail);
  if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
}

describe('security of the four services (issue #6)', () => {
  let services: FourServices;
  let call: FourServices['call'];
  let url: FourServices['url'];

  /** A request with an explicit Authorization header (or none). */
  const send = (service: Service, method: string, path: string, authorization?: string, body?: unknown) =>
    call[service](method, path, { ...(authorization ? { headers: { authorization } } : {}), ...(body !== undefined ? { body } : {}) });

  // The objects of organisation A that organisation B will try to reach.
  let ids: ChainIds;

  beforeAll(async () => {
    services = await startFourServices('security');
    ({ call, url } = services);
    ids = await seedChain(call);
  });

  afterAll(async () => {
    await services?.close();
  });

  describe.each(SERVICES)('%s: the bearer-token matrix', (service) => {
    const target = MATRIX[service];
    const as = (authorization?: string) => send(service, target.method, target.path(), authorization);

    it('serves a valid token', async () => {
      const res = await as(`Bearer ${await tokenFor(target.caller, { audience: `aal:${service}` })}`);
      expect([200, 404]).toContain(res.status);
    });

    it('no token: 401 AUTH.TOKEN_REQUIRED with WWW-Authenticate', async () => {
      expectProblem(await as(), 401, 'AUTH.TOKEN_REQUIRED');
    });

    it('malformed: 401 AUTH.INVALID_TOKEN', async () => {
      expectProblem(await as('Bearer not-a-jwt'), 401, 'AUTH.INVALID_TOKEN', 'compact JWT');
      expectProblem(await as(`Basic ${Buffer.from('admin:admin').toString('base64')}`), 401, 'AUTH.INVALID_TOKEN', 'compact JWT');
      expectProblem(await as('Bearer e30.e30.'), 401, 'AUTH.INVALID_TOKEN', 'the token is malformed');
    });

    it('alg none: 401, algorithm not accepted', async () => {
      const unsigned = new UnsecuredJWT({ org: target.caller.organisationId, roles: [target.caller.role] })
        .setSubject(target.caller.personId)
        .setIssuer(TEST_ISSUER)
        .setAudience(`aal:${service}`)
        .setIssuedAt()
        .setExpirationTime('5m')
        .encode();
      expectProblem(await as(`Bearer ${unsigned}`), 401, 'AUTH.INVALID_TOKEN', "the token's algorithm is not accepted");
    });

    it('HS256 signed with the public key as the secret: 401, algorithm not accepted', async () => {
      const secret = new TextEncoder().encode(JSON.stringify(testIdentity().key.publicJwk));
      expectProblem(
        await as(`Bearer ${await craft(target.caller, service, { alg: 'HS256', key: secret })}`),
        401,
        'AUTH.INVALID_TOKEN',
        "the token's algorithm is not accepted",
      );
    });

    it('wrong issuer: 401', async () => {
      expectProblem(
        await as(`Bearer ${await craft(target.caller, service, { issuer: 'https://evil.example' })}`),
        401,
        'AUTH.INVALID_TOKEN',
        `the token was not issued by ${TEST_ISSUER}`,
      );
    });

    it('wrong audience (a token for another service): 401', async () => {
      const forOther = await tokenFor(target.caller, { audience: `aal:${otherService(service)}` });
      expectProblem(
        await as(`Bearer ${forOther}`),
        401,
        'AUTH.INVALID_TOKEN',
        `the token is not meant for this service (audience aal:${service})`,
      );
    });

    it('expired: 401', async () => {
      expectProblem(
        await as(`Bearer ${await craft(target.caller, service, { exp: nowSeconds() - 300, nbf: nowSeconds() - 900 })}`),
        401,
        'AUTH.INVALID_TOKEN',
        'the token has expired',
      );
    });

    it('not yet valid (nbf in the future): 401', async () => {
      expectProblem(
        await as(`Bearer ${await craft(target.caller, service, { nbf: nowSeconds() + 300, exp: nowSeconds() + 900 })}`),
        401,
        'AUTH.INVALID_TOKEN',
        'the token is not valid yet',
      );
    });

    it('unknown kid: 401', async () => {
      expectProblem(
        await as(`Bearer ${await craft(target.caller, service, { kid: 'rotated-out-or-made-up' })}`),
        401,
        'AUTH.INVALID_TOKEN',
        "no trusted key matches the token's key id",
      );
    });

    it('a valid token of a role the route does not admit: 403 AUTH.ROLE_NOT_ALLOWED', async () => {
      expectProblem(await as(`Bearer ${await tokenFor(target.wrongRole)}`), 403, 'AUTH.ROLE_NOT_ALLOWED', 'requires one of the roles');
    });
  });

  describe('every route of every service, without a token', () => {
    const routes = discoverRoutes();
    const concrete = (path: string) =>
      path.replace(/:(\w+)/g, (_, name: string) => (name === 'seq' ? '0' : name === 'outputId' ? `out-${randomUUID()}` : randomUUID()));

    it.each(routes.map((r) => [`${r.service} ${r.method} ${r.path}`, r] as [string, RouteRow]))('%s', async (_, route) => {
      const res = await fetch(`${url[route.service as Service]}${concrete(route.path)}`, {
        method: route.method,
        ...(route.method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }),
      });
      const text = await res.text();
      if (route.access?.kind === 'public') {
        // Answered by the route itself (a missing checkpoint or entry may be a 404 problem of its own, never "no route").
        expect([401, 403]).not.toContain(res.status);
        expect(text).not.toContain('HTTP.404');
      } else {
        expect({ status: res.status, code: (JSON.parse(text) as { code?: string }).code }).toEqual({
          status: 401,
          code: 'AUTH.TOKEN_REQUIRED',
        });
      }
    });

    it('found the public proofs and checkpoints among them', () => {
      const publicPaths = routes.filter((r) => r.access?.kind === 'public').map((r) => `${r.service} ${r.path}`);
      expect(publicPaths).toEqual(
        expect.arrayContaining([
          'ledger /checkpoint',
          'ledger /checkpoints/latest',
          'ledger /log/public-key',
          'ledger /entries/:seq/inclusion-proof',
          'ledger /proofs/consistency',
          'usage-events /health/ready',
          'model-registry /metrics',
        ]),
      );
    });
  });

  describe('object level: a valid token of another organisation (BOLA)', () => {
    const vendorB = () => ({ ...people.vendorB, role: 'vendor-admin' });

    it("model-registry: another vendor cannot release, notify, resolve or withdraw on A's model, and nothing is recorded", async () => {
      const before = (await call['model-registry']('GET', `/models/${ids.modelId}`, { caller: people.vendorA })).body;
      const attempts: Array<[string, unknown]> = [
        [`/models/${ids.modelId}/versions`, release('9.9.9')],
        [
          `/models/${ids.modelId}/safety-notices`,
          { affectedVersionIds: [ids.versionId], severity: 'critical', summary: 'Fake notice.', requiredAction: 'Stop.' },
        ],
        [`/models/${ids.modelId}/safety-notices/${ids.noticeId}/resolution`, { resolution: 'Resolved by a rival.' }],
        [`/models/${ids.modelId}/versions/${ids.versionId}/withdrawal`, { reason: 'Withdrawn by a rival.' }],
      ];
      for (const [path, body] of attempts) {
        const token = await tokenFor(vendorB(), { roles: ['vendor-safety-officer'] });
        expectProblem(await send('model-registry', 'POST', path, `Bearer ${token}`, body), 403, 'MODEL.NOT_OWNER');
      }
      const after = (await call['model-registry']('GET', `/models/${ids.modelId}`, { caller: people.vendorA })).body;
      expect(after.history).toHaveLength(before.history.length);
      expect(after.revision).toBe(before.revision);
    });

    it("deployment-approval: another employer cannot decide on, change or issue policies for A's deployment", async () => {
      const token = `Bearer ${await tokenFor(people.adminB, { roles: ['employer-approver'] })}`;
      const setting = { sites: ['ward-7a'], services: ['Acute medicine'], roles: ['staff-nurse'] };
      const attempts: Array<[string, unknown]> = [
        ['approval', { conditions: ['None'], hazardLogRef: 'HL-1', reviewDate: '2099-01-31', scope: approvedScope(setting) }],
        ['scope-changes', { scope: approvedScope(setting), reviewDate: '2099-01-31', reason: 'Rival widens it.' }],
        ['reviews', { summary: 'Rival reviews it.', nextReviewDate: '2099-01-31' }],
        ['rejection', { reason: 'Rival says no.' }],
        ['activation', { sites: ['ward-7a'] }],
        ['suspension', { reason: 'Rival suspends.' }],
        ['reinstatement', { reason: 'Rival reinstates.' }],
        ['revocation', { reason: 'Rival revokes.' }],
        ['expiry', {}],
        [
          'usage-policies',
          {
            use: 'mandatory',
            roles: ['staff-nurse'],
            sites: ['ward-7a'],
            humanReviewRequired: false,
            minimumReviewSeconds: 0,
            effectiveFrom: new Date().toISOString(),
            summary: 'Rival policy.',
          },
        ],
      ];
      for (const [action, body] of attempts) {
        expectProblem(
          await send('deployment-approval', 'POST', `/deployments/${ids.deploymentId}/${action}`, token, body),
          403,
          'DEPLOYMENT.NOT_OWNER',
        );
      }
      const own = await call['deployment-approval']('GET', `/deployments/${ids.deploymentId}`, { caller: people.adminA });
      expect(own.body).toMatchObject({ status: 'requested', employerId: A.employer });
    });

    it("deployment-approval: another employer cannot read A's deployments, by id or by filter, and its unfiltered list holds only its own", async () => {
      expectProblem(
        await call['deployment-approval']('GET', `/deployments/${ids.deploymentId}`, { caller: people.adminB }),
        403,
        'AUTH.OTHER_ORGANISATION',
      );
      expectProblem(
        await call['deployment-approval']('GET', `/deployments?employerId=${A.employer}`, { caller: people.adminB }),
        403,
        'AUTH.OTHER_ORGANISATION',
      );
      const theirs = await call['deployment-approval']('GET', '/deployments?limit=100', { caller: people.adminB });
      expect(theirs.status).toBe(200);
      expect(JSON.stringify(theirs.body)).not.toContain(ids.deploymentId);
      const ours = await call['deployment-approval']('GET', '/deployments?limit=100', { caller: people.adminA });
      expect(JSON.stringify(ours.body)).toContain(ids.deploymentId);
    });

    it("deployment-approval: another employer cannot record training for A's deployment or read A's training record", async () => {
      const body = {
        professionalId: 'psn_oh_nurse_0001',
        deploymentId: ids.deploymentId,
        course: 'Rival course',
        completedAt: new Date().toISOString(),
      };
      expectProblem(
        await call['deployment-approval']('POST', '/training-records', { caller: people.adminB, body }),
        403,
        'TRAINING.FOREIGN_DEPLOYMENT',
      );
      expectProblem(
        await call['deployment-approval']('GET', `/training-records/${ids.trainingId}`, { caller: people.adminB }),
        403,
        'AUTH.OTHER_ORGANISATION',
      );
      expectProblem(
        await call['deployment-approval']('GET', `/training-records?employerId=${A.employer}`, { caller: people.adminB }),
        403,
        'AUTH.OTHER_ORGANISATION',
      );
    });

    it("usage-events: another clinical system cannot read A's output or incident, nor add presentations, actions or instructions to A's output", async () => {
      expectProblem(await call['usage-events']('GET', `/outputs/${ids.outputId}`, { caller: people.clinicalB }), 403, 'OUTPUT.NOT_OWNER');
      expectProblem(
        await call['usage-events']('GET', `/incidents/${ids.incidentId}`, { caller: people.clinicalB }),
        403,
        'INCIDENT.NOT_OWNER',
      );
      const professional = { personId: 'psn_oh_nurse_0001', role: 'staff-nurse' };
      expectProblem(
        await call['usage-events']('POST', `/outputs/${ids.outputId}/presentations`, {
          caller: people.clinicalB,
          body: { professional, site: 'ward-7a', occurredAt: new Date().toISOString() },
        }),
        403,
        'OUTPUT.NOT_OWNER',
      );
      expectProblem(
        await call['usage-events']('POST', `/outputs/${ids.outputId}/actions`, {
          caller: people.clinicalB,
          body: { professional, action: 'accepted', reviewDurationSeconds: 30, occurredAt: new Date().toISOString() },
        }),
        403,
        'OUTPUT.NOT_OWNER',
      );
      const instruction = {
        instructor: { personId: 'psn_oh_nic_000001', role: 'nurse-in-charge' },
        professionalId: 'psn_oh_nurse_0001',
        kind: 'use-ai',
        outputId: ids.outputId,
        occurredAt: new Date().toISOString(),
      };
      expectProblem(
        await call['usage-events']('POST', '/instructions', { caller: people.clinicalB, body: instruction }),
        403,
        'OUTPUT.NOT_OWNER',
      );
      const own = await call['usage-events']('GET', `/outputs/${ids.outputId}`, { caller: people.clinicalA });
      expect(own.status).toBe(200);
      expect(own.body.presentations ?? []).toHaveLength(0);
    });

    it("ledger: an investigator not granted A's case reads none of its views", async () => {
      for (const view of ['', '/timeline', '/replay', '/export', '/report']) {
        expectProblem(await call.ledger('GET', `/cases/${ids.caseId}${view}`, { caller: people.investigatorB }), 403, 'CASE.ACCESS_DENIED');
      }
      expect((await call.ledger('GET', `/cases/${ids.caseId}`, { caller: people.investigatorA })).status).toBe(200);
    });

    it("ledger: B's investigator opens no case on A's output or incident without a mandate, and B cannot give one over A's records", async () => {
      expectProblem(
        await call.ledger('POST', '/cases', { caller: people.investigatorB, body: { title: 't', outputIds: [ids.outputId] } }),
        403,
        'CASE.NO_MANDATE',
      );
      expectProblem(
        await call.ledger('POST', '/cases', { caller: people.investigatorB, body: { title: 't', incidentId: ids.incidentId } }),
        403,
        'CASE.NO_MANDATE',
      );
      const referral = {
        kind: 'incident-referral',
        investigatingOrganisationId: B.investigators,
        scope: { kind: 'incident', incidentId: ids.incidentId },
        reference: 'x',
      };
      expectProblem(await call.ledger('POST', '/mandates', { caller: people.adminB, body: referral }), 403, 'MANDATE.NOT_OWN_RECORDS');
      expect((await call.ledger('GET', '/mandates', { caller: people.investigatorB })).body.mandates).toEqual([]);
    });

    it('ledger: raw entries need the all-organisations grant', async () => {
      expectProblem(await call.ledger('GET', '/entries', { caller: people.auditorA }), 403, 'AUTH.GRANT_REQUIRED');
      expectProblem(await call.ledger('GET', '/entries/0', { caller: people.auditorA }), 403, 'AUTH.GRANT_REQUIRED');
      const granted = await send(
        'ledger',
        'GET',
        '/entries?limit=10',
        `Bearer ${await tokenFor(people.auditorA, { grants: ['all-organisations'] })}`,
      );
      expect(granted.status).toBe(200);
    });
  });

  describe('property level: no mass assignment, and the actor comes from the token', () => {
    const someoneElse = { organisationId: B.vendor, personId: 'psn_rival_vendor_1', role: 'vendor-admin' };

    it('refuses a body naming an actor, vendor, employer or organisation with 400 REQUEST.INVALID at that property', async () => {
      const cases: Array<[Service, string, Caller, Record<string, unknown>, string]> = [
        ['model-registry', '/models', people.vendorA, { ...registerBody(), actor: someoneElse }, '/actor'],
        ['model-registry', '/models', people.vendorA, { ...registerBody(), vendorId: B.vendor }, '/vendorId'],
        [
          'deployment-approval',
          '/deployments',
          people.requesterA,
          {
            modelId: ids.modelId,
            versionId: ids.versionId,
            setting: { sites: ['ward-7a'], services: ['x'], roles: ['staff-nurse'] },
            intendedUse: 'x',
            employerId: B.employer,
          },
          '/employerId',
        ],
        [
          'deployment-approval',
          `/deployments/${ids.deploymentId}/approval`,
          people.approverA,
          {
            conditions: ['c'],
            hazardLogRef: 'HL-1',
            reviewDate: '2099-01-31',
            scope: approvedScope({ sites: ['ward-7a'], services: ['Acute medicine'], roles: ['staff-nurse'] }),
            actor: { ...people.approverA, personId: 'psn_sw_cso_00001' },
          },
          '/actor',
        ],
        [
          'usage-events',
          '/outputs',
          people.clinicalA,
          { ...outputBody(`out-${randomUUID()}`, ids), organisationId: B.employer },
          '/organisationId',
        ],
        ['usage-events', '/outputs', people.clinicalA, { ...outputBody(`out-${randomUUID()}`, ids), actor: people.clinicalB }, '/actor'],
        ['ledger', '/cases', people.investigatorA, { title: 't', outputIds: [ids.outputId], openedBy: people.investigatorB }, '/openedBy'],
      ];
      for (const [service, path, caller, body, pointer] of cases) {
        const res = await call[service]('POST', path, { caller, body });
        expectProblem(res, 400, 'REQUEST.INVALID');
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer })]));
      }
    });

    it("records the token's caller as the actor: in the service's history and in the event on Kafka", async () => {
      const model = (await call['model-registry']('GET', `/models/${ids.modelId}`, { caller: people.vendorA })).body;
      expect(model.history[0].data.actor).toEqual(people.vendorA);
      // Every model-registry event of this test was written by vendor A (everyone else was refused).
      const [first] = await readTopic(services.kafka, services.modelRegistryTopic, 1);
      expect(JSON.parse(first!.value!.toString()).actor).toMatchObject({
        organisationId: people.vendorA.organisationId,
        personId: people.vendorA.personId,
      });

      const output = (await call['usage-events']('GET', `/outputs/${ids.outputId}`, { caller: people.clinicalA })).body;
      expect(output.history[0].data.actor).toEqual(people.clinicalA);
      const deployment = (await call['deployment-approval']('GET', `/deployments/${ids.deploymentId}`, { caller: people.requesterA })).body;
      expect(deployment.history[0].data.actor).toEqual(people.requesterA);
    });

    it("records the role the route admitted the caller in (the route's first role the token holds)", async () => {
      // vendor A's token holds vendor-admin and vendor-safety-officer; safety notices list vendor-safety-officer first.
      const res = await send(
        'model-registry',
        'POST',
        `/models/${ids.modelId}/safety-notices`,
        `Bearer ${await tokenFor(people.vendorA, { roles: ['vendor-safety-officer'] })}`,
        {
          affectedVersionIds: [ids.versionId],
          severity: 'low',
          summary: 'Second label typo.',
          requiredAction: 'None.',
        },
      );
      expect(res.status).toBe(201);
      expect(res.body.history.at(-1).data.actor).toEqual({ ...people.vendorA, role: 'vendor-safety-officer' });
    });
  });

  describe('limits', () => {
    it('a body over 1 MB: 413 REQUEST.TOO_LARGE', async () => {
      const res = await call['model-registry']('POST', '/models', {
        caller: people.vendorA,
        body: { ...registerBody(), intendedPurpose: 'x'.repeat(1_100_000) },
      });
      expectProblem(res, 413, 'REQUEST.TOO_LARGE');
    });

    it('a batch of more than 5,000 items: 413 BATCH.TOO_LARGE', async () => {
      const items = Array.from({ length: 5001 }, () => ({ kind: 'output.generated', body: {} }));
      const res = await call['usage-events']('POST', '/batches', { caller: people.clinicalA, body: { items } });
      expectProblem(res, 413, 'BATCH.TOO_LARGE');
      expect(res.body).toMatchObject({ maxItems: 5000, items: 5001 });
    });

    it('a page larger than the maximum: 400 REQUEST.INVALID', async () => {
      expectProblem(await call['model-registry']('GET', '/models?limit=101', { caller: people.vendorA }), 400, 'REQUEST.INVALID');
      expectProblem(await call['deployment-approval']('GET', '/deployments?limit=1000', { caller: people.adminA }), 400, 'REQUEST.INVALID');
      expectProblem(
        await call['deployment-approval']('GET', '/training-records?limit=101', { caller: people.adminA }),
        400,
        'REQUEST.INVALID',
      );
      expectProblem(
        await send('ledger', 'GET', '/entries?limit=1001', `Bearer ${await tokenFor(people.auditorA, { grants: ['all-organisations'] })}`),
        400,
        'REQUEST.INVALID',
      );
      expectProblem(await call.ledger('GET', '/checkpoints?limit=5000'), 400, 'REQUEST.INVALID');
    });

    it('rate limit per caller: the 6th request of one caller in a minute gets 429 with Retry-After; another caller is still served', async () => {
      const rdb = await createTestDatabase([MODEL_REGISTRY_SCHEMA]);
      const { settings } = await createTestKafka('security-rate');
      const limited = await startApp(
        ModelRegistry.register(
          testProducerConfig('model-registry', {
            database: rdb.settings,
            kafka: settings,
            instanceId: 'rate',
            auth: testAuthSettings('model-registry', { rateLimitPerMinute: 5 }),
          }),
        ),
        'model-registry',
      );
      try {
        const limitedCall = httpClient(limited.baseUrl);
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) statuses.push((await limitedCall('GET', '/models', { caller: people.vendorA })).status);
        expect(statuses).toEqual([200, 200, 200, 200, 200]);
        const sixth = await limitedCall('GET', '/models', { caller: people.vendorA });
        expectProblem(sixth, 429, 'REQUEST.RATE_LIMITED');
        expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect((await limitedCall('GET', '/models', { caller: people.vendorB })).status).toBe(200);

        // A flood of bad tokens from one address is pushed back before any token is checked:
        // the address allows 5 x 5 requests a minute, 7 were made above.
        const forged = { authorization: 'Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' };
        const floodStatuses: number[] = [];
        for (let i = 0; i < 19; i++) floodStatuses.push((await limitedCall('GET', '/models', { headers: forged })).status);
        expect(floodStatuses.slice(0, 18)).toEqual(Array(18).fill(401));
        expect(floodStatuses[18]).toBe(429);
        const pushedBack = await limitedCall('GET', '/models', { headers: forged });
        expectProblem(pushedBack, 429, 'REQUEST.RATE_LIMITED');
      } finally {
        await limited.close();
        await rdb.drop();
      }
    });
  });
});

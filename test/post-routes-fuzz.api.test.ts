import type { Role } from '@aal/auth';
import type { Caller } from '@aal/http';
import { tokenFor, type HttpResult } from '@aal/testing';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CONCERNS_SCHEMA } from '../apps/concerns/src/database/concerns.schema';
import { INCIDENTS_SCHEMA } from '../apps/incidents/src/database/incidents.schema';
import { classifyBody } from '../apps/incidents/src/testing/incidents-app';
import { DEPLOYMENT_APPROVAL_SCHEMA } from '../apps/deployment-approval/src/database/deployment-approval.schema';
import { LEDGER_SCHEMA } from '../apps/ledger/src/database/ledger.schema';
import { MODEL_REGISTRY_SCHEMA } from '../apps/model-registry/src/database/model-registry.schema';
import { USAGE_EVENTS_SCHEMA } from '../apps/usage-events/src/database/usage-events.schema';
import { auditEvent, provenance } from '../apps/usage-events/src/testing/fhir.factories';
import { concernBody, outputBody, people, registerBody, release, seedChain, SERVICES, startFourServices } from './support/four-services';
import type { ChainIds, FourServices, Service } from './support/four-services';

// Issue #11, items 3 and 4, over HTTP against the four services as main.ts builds them: text
// PostgreSQL cannot store (U+0000, unpaired surrogates) and deep nesting are refused with a 400
// before anything is stored, on every route. The property test reads every POST operation from
// each service's own OpenAPI document, starts from a valid body and mutates it; whatever it sends,
// no answer is a 5xx, and a refused request leaves the service's tables as they were.

/** Fixed by default, so a run is repeatable; FUZZ_RUNS and FUZZ_SEED explore further (fast-check prints the seed of a failure). */
const FUZZ_RUNS = Number(process.env['FUZZ_RUNS'] ?? 32);
const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? 20261111);

const SCHEMA_OF: Record<Service, string> = {
  'model-registry': MODEL_REGISTRY_SCHEMA.schema,
  'deployment-approval': DEPLOYMENT_APPROVAL_SCHEMA.schema,
  'usage-events': USAGE_EVENTS_SCHEMA.schema,
  concerns: CONCERNS_SCHEMA.schema,
  incidents: INCIDENTS_SCHEMA.schema,
  ledger: LEDGER_SCHEMA.schema,
};

/**
 * Tables written by a Kafka consumer or a timer, not by a request: they change on their own while
 * the test runs (the ledger appends what the producers publish, usage-events and
 * deployment-approval learn deployments and model versions), so they say nothing about what a
 * refused request stored.
 */
const NOT_WRITTEN_BY_REQUESTS = new Set([
  'deployment_approval.model_versions',
  'usage_events.deployments',
  'concerns.model_versions',
  'concerns.deployments',
  'incidents.model_versions',
  'incidents.deployments',
  'ledger.entries',
  'ledger.consumer_positions',
  'ledger.rejections',
  'ledger.tree_nodes',
  'ledger.checkpoints',
  'ledger.facts',
  'ledger.projection_positions',
]);

/** A caller of each role, from organisation A (whose records seedChain made). */
const CALLER_OF: Record<Role, Caller> = {
  'vendor-admin': people.vendorA,
  'vendor-safety-officer': { ...people.vendorA, role: 'vendor-safety-officer' },
  'employer-requester': people.requesterA,
  'employer-approver': people.approverA,
  'employer-admin': people.adminA,
  'clinical-system': people.clinicalA,
  investigator: people.investigatorA,
  'data-controller': { ...people.adminA, role: 'data-controller' },
  regulator: { organisationId: 'care-quality-regulator', personId: 'psn_cqr_regulator1', role: 'regulator' },
  'concern-intake': { ...people.adminA, role: 'concern-intake' },
  auditor: people.auditorA,
};

const nowIso = () => new Date().toISOString();
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const newOutputId = () => `out-${randomUUID()}`;

/**
 * A valid-looking body for each POST operation (keyed `service path` as the OpenAPI document
 * writes the path), fresh for every run: new ids and times, the seeded chain's ids where a route
 * needs an existing record. A POST operation without one fails the test, so a new route is fuzzed
 * from the day it appears.
 */
function examples(ids: ChainIds): Record<string, () => unknown> {
  const professional = { personId: 'psn_sw_nurse_0042', role: 'staff-nurse' };
  const reason = { reason: 'Found during the weekly safety review.' };
  return {
    'model-registry /models': () => registerBody(),
    'model-registry /models/{modelId}/versions': () => release(`3.${Math.floor(Math.random() * 1e6)}.0`),
    'model-registry /models/{modelId}/safety-notices': () => ({
      affectedVersionIds: [ids.versionId],
      severity: 'low',
      summary: 'Label typo.',
      requiredAction: 'None.',
    }),
    'model-registry /models/{modelId}/safety-notices/{noticeId}/resolution': () => ({ resolution: 'Label corrected in IFU 2.2.' }),
    'model-registry /models/{modelId}/versions/{versionId}/withdrawal': () => reason,
    'deployment-approval /deployments': () => ({
      modelId: ids.modelId,
      versionId: ids.versionId,
      setting: { sites: ['ward-7a'], services: ['Acute medicine'], roles: ['staff-nurse'] },
      intendedUse: 'Sepsis early warning, advisory.',
    }),
    'deployment-approval /deployments/{deploymentId}/approval': () => ({
      conditions: ['Advisory use only.'],
      hazardLogRef: 'HL-2026-17',
      reviewDate: '2030-01-31',
      scope: {
        sites: ['ward-7a'],
        services: ['Acute medicine'],
        roles: ['staff-nurse'],
        population: { ageBands: ['18-39', '40-64'], excludedContraindicationCodes: ['acme:under-18'] },
        uses: ['advisory'],
      },
    }),
    'deployment-approval /deployments/{deploymentId}/scope-changes': () => ({
      scope: {
        sites: ['ward-7a'],
        services: ['Acute medicine'],
        roles: ['staff-nurse'],
        population: { ageBands: ['18-39', '40-64'], excludedContraindicationCodes: ['acme:under-18'] },
        uses: ['advisory'],
      },
      reviewDate: '2030-01-31',
      reason: 'Ward 7A only until the first review.',
    }),
    'deployment-approval /deployments/{deploymentId}/reviews': () => ({
      summary: 'Quarterly review: override rate as expected.',
      nextReviewDate: '2030-04-30',
    }),
    'deployment-approval /deployments/{deploymentId}/rejection': () => reason,
    'deployment-approval /deployments/{deploymentId}/activation': () => ({ sites: ['ward-7a'] }),
    'deployment-approval /deployments/{deploymentId}/suspension': () => reason,
    'deployment-approval /deployments/{deploymentId}/reinstatement': () => reason,
    'deployment-approval /deployments/{deploymentId}/revocation': () => reason,
    'deployment-approval /deployments/{deploymentId}/expiry': () => ({}),
    'deployment-approval /deployments/{deploymentId}/usage-policies': () => ({
      use: 'advisory',
      roles: ['staff-nurse'],
      sites: ['ward-7a'],
      humanReviewRequired: true,
      minimumReviewSeconds: 60,
      effectiveFrom: nowIso(),
      summary: 'Check every alert.',
    }),
    'deployment-approval /training-records': () => ({
      professionalId: 'psn_sw_nurse_0042',
      deploymentId: ids.deploymentId,
      course: 'SepsisWatch essentials',
      completedAt: minutesAgo(60),
    }),
    'usage-events /outputs': () => outputBody(newOutputId(), ids),
    'usage-events /outputs/{outputId}/presentations': () => ({ professional, site: 'ward-7a', occurredAt: nowIso() }),
    'usage-events /outputs/{outputId}/actions': () => ({
      professional,
      action: 'overridden',
      rationale: 'Lactate normal.',
      reviewDurationSeconds: 95,
      occurredAt: nowIso(),
    }),
    'usage-events /instructions': () => ({
      instructor: { personId: 'psn_sw_sister_0001', role: 'ward-sister' },
      professionalId: professional.personId,
      kind: 'use-ai',
      outputId: ids.outputId,
      caseRef: 'WARD-7A-17',
      note: 'Use the score on admission.',
      occurredAt: nowIso(),
    }),
    'usage-events /incidents': () => ({ outputIds: [ids.outputId], harmReference: 'LFPSE:W2', severity: 'low', occurredAt: nowIso() }),
    'usage-events /batches': () => ({
      items: [
        { kind: 'output.generated', body: outputBody(newOutputId(), ids) },
        { kind: 'output.presented', body: { outputId: ids.outputId, professional, site: 'ward-7a', occurredAt: nowIso() } },
      ],
    }),
    'usage-events /fhir/AuditEvent': () => auditEvent(ids.outputId, 'presented', nowIso()),
    'usage-events /fhir/Provenance': () => provenance(ids.outputId, 'accepted', nowIso()),
    'concerns /concerns': () => concernBody({ kind: 'deployment', deploymentId: ids.deploymentId }),
    'concerns /concerns/{concernId}/acknowledgements': () => ({}),
    'concerns /concerns/{concernId}/answers': () => ({ answer: 'investigated-no-change', reference: 'Review note CR-17' }),
    'incidents /incidents': () => classifyBody(ids.deploymentId),
    'incidents /incidents/{incidentId}/provider-notices': () => ({ reference: 'SW-INC-17' }),
    'incidents /incidents/{incidentId}/provider-awareness': () => ({ awareAt: nowIso() }),
    'incidents /incidents/{incidentId}/authority-reports': () => ({ authority: 'uk-mhra', reference: 'MORE 2026/17' }),
    'ledger /cases': () => ({ title: 'Sepsis alert on ward 7A', outputIds: [ids.outputId] }),
    'ledger /cases/{caseId}/investigators': () => ({
      organisationId: people.investigatorB.organisationId,
      personId: people.investigatorB.personId,
    }),
    'ledger /cases/{caseId}/close': () => ({ reason: 'Findings shared with the trust.' }),
    'ledger /cases/{caseId}/recommendations': () => ({
      addressee: { party: 'vendor', organisationId: people.vendorA.organisationId },
      recommendation: 'Show the alert threshold beside each sepsis score.',
      dueBy: new Date(Date.now() + 30 * 24 * 3_600_000).toISOString(),
      arisesFrom: { findingCodes: ['ACTION.OVERRIDDEN'], versionId: ids.versionId },
    }),
    'ledger /cases/{caseId}/recommendations/{recommendationId}/responses': () => ({
      response: 'accepted',
      plan: 'Release 2.4 shows the threshold.',
    }),
    'ledger /cases/{caseId}/hold': () => ({ reason: 'Inquest ref. CO-2026-17' }),
    'ledger /cases/{caseId}/hold/lift': () => ({ reason: 'Inquest concluded.' }),
    'ledger /mandates': () => ({
      kind: 'data-controller-grant',
      investigatingOrganisationId: people.investigatorA.organisationId,
      scope: { kind: 'outputs', outputIds: [ids.outputId] },
      reference: 'DC grant 17',
    }),
    'ledger /mandates/{mandateId}/revoke': () => ({ reason: 'Investigation concluded.' }),
  };
}

interface PostOperation {
  readonly service: Service;
  /** As the OpenAPI document writes it, e.g. `/models/{modelId}/versions`. */
  readonly path: string;
  readonly roles: readonly Role[];
  readonly mediaType: string;
  readonly schema: JsonSchema | undefined;
}

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[] };
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every POST operation of a service's OpenAPI document, with the roles it admits (`x-aal-roles`). */
function postOperations(service: Service, document: { paths: Record<string, Record<string, any>> }): PostOperation[] {
  return Object.entries(document.paths).flatMap(([path, operations]) => {
    const post = operations['post'];
    if (!post) return [];
    const content = (post.requestBody?.content ?? {}) as Record<string, { schema?: JsonSchema }>;
    const mediaType = Object.keys(content)[0] ?? 'application/json';
    return [{ service, path, roles: (post['x-aal-roles'] ?? []) as Role[], mediaType, schema: content[mediaType]?.schema }];
  });
}

const token = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const untoken = (t: string) => t.replace(/~1/g, '/').replace(/~0/g, '~');

/** The pointers of every member of `value` (objects and arrays), root excluded. */
function memberPointers(value: Json, at = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: Array<[string, Json]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [`${at}/${token(k)}`, ...memberPointers(v, `${at}/${token(k)}`)]);
}

/** Pointers of the string members the OpenAPI schema declares, optional ones too (array items at index 0). */
function schemaStringPointers(schema: JsonSchema | undefined, at = ''): string[] {
  if (!schema) return [];
  if (schema.type === 'string' || schema.anyOf?.some((s) => s.type === 'string')) return [at];
  if (schema.type === 'array') return schemaStringPointers(schema.items, `${at}/0`);
  return Object.entries(schema.properties ?? {}).flatMap(([k, s]) => schemaStringPointers(s, `${at}/${token(k)}`));
}

/** Sets the member at `pointer`, making the objects and arrays on the way that are missing. */
function setAt(root: Json, pointer: string, value: Json): Json {
  const tokens = pointer.split('/').slice(1).map(untoken);
  if (tokens.length === 0) return value;
  let parent = root as Record<string, Json>;
  tokens.forEach((t, i) => {
    if (i === tokens.length - 1) {
      parent[t] = value;
      return;
    }
    const next = parent[t];
    if (next === null || typeof next !== 'object') parent[t] = /^\d+$/.test(tokens[i + 1]!) ? [] : {};
    parent = parent[t] as Record<string, Json>;
  });
  return root;
}

function getAt(root: Json, pointer: string): Json | undefined {
  return pointer
    .split('/')
    .slice(1)
    .map(untoken)
    .reduce<Json | undefined>((v, t) => (v !== null && typeof v === 'object' ? (v as Record<string, Json>)[t] : undefined), root);
}

/** Strings PostgreSQL cannot store, as an attacker would place them. */
const UNSTORABLE = ['\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800'];

type Mutation =
  | { kind: 'unstorable-text'; pointer: string; bad: string; placement: 'replace' | 'prefix' | 'suffix' }
  | { kind: 'storable-text'; pointer: string; text: string }
  | { kind: 'unstorable-key'; pointer: string; name: string }
  | { kind: 'deep'; pointer: string; depth: number; shape: 'array' | 'object' }
  | { kind: 'wrong-type'; pointer: string; value: Json }
  | { kind: 'huge-string'; pointer: string; length: number }
  | { kind: 'unknown-property'; pointer: string; name: string; value: Json };

function mutations(base: Json, schema: JsonSchema | undefined): fc.Arbitrary<Mutation[]> {
  const members = memberPointers(base);
  const strings = [...new Set([...members.filter((p) => typeof getAt(base, p) === 'string'), ...schemaStringPointers(schema)])];
  const objects = [
    '',
    ...members.filter((p) => {
      const v = getAt(base, p);
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    }),
  ];
  const anywhere = members.length > 0 ? members : ['/x'];
  const pick = (list: string[]) => fc.constantFrom(...(list.length > 0 ? list : ['/x']));
  const one: fc.Arbitrary<Mutation> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('unstorable-text' as const),
        pointer: pick(strings),
        bad: fc.constantFrom(...UNSTORABLE),
        placement: fc.constantFrom('replace' as const, 'prefix' as const, 'suffix' as const),
      }),
    },
    // Any other text, control characters and astral code points included: must be stored or refused cleanly.
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('storable-text' as const),
        pointer: pick(strings),
        text: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map((t) => t.replace(/\u0000/g, '') || 'x'),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('unstorable-key' as const),
        pointer: pick(objects),
        name: fc.constantFrom(...UNSTORABLE.map((c) => `note${c}`)),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('deep' as const),
        pointer: pick([...anywhere, '/nested']),
        depth: fc.constantFrom(33, 64, 1_000, 100_000),
        shape: fc.constantFrom('array' as const, 'object' as const),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('wrong-type' as const),
        pointer: pick(anywhere),
        value: fc.oneof(
          fc.integer(),
          fc.double(),
          fc.boolean(),
          fc.constant(null),
          fc.constant([]),
          fc.constant({}),
          fc.string(),
          fc.constant(-1e308),
        ) as fc.Arbitrary<Json>,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('huge-string' as const),
        pointer: pick(strings),
        length: fc.constantFrom(4_001, 100_000, 1_100_000),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('unknown-property' as const),
        pointer: pick(objects),
        name: fc.string({ minLength: 1, maxLength: 20 }),
        value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
      }),
    },
  );
  return fc.array(one, { minLength: 1, maxLength: 3 });
}

/** The raw body: the base with the mutations applied (deep nesting spliced into the text, since JSON.stringify recurses). */
function mutatedBody(base: Json, applied: readonly Mutation[]): string {
  let body: Json = structuredClone(base);
  const deep: Array<{ marker: string; text: string }> = [];
  for (const m of applied) {
    switch (m.kind) {
      case 'unstorable-text': {
        const current = getAt(body, m.pointer);
        const text = typeof current === 'string' ? current : 'text';
        body = setAt(body, m.pointer, m.placement === 'replace' ? m.bad : m.placement === 'prefix' ? `${m.bad}${text}` : `${text}${m.bad}`);
        break;
      }
      case 'storable-text':
        body = setAt(body, m.pointer, m.text);
        break;
      case 'unstorable-key':
        body = setAt(body, `${m.pointer}/${token(m.name)}`, 'x');
        break;
      case 'deep': {
        const marker = `__deep_${deep.length}_${randomUUID()}__`;
        const [open, close] = m.shape === 'array' ? ['[', ']'] : ['{"a":', '}'];
        deep.push({ marker: JSON.stringify(marker), text: `${open.repeat(m.depth)}1${close.repeat(m.depth)}` });
        body = setAt(body, m.pointer, marker);
        break;
      }
      case 'wrong-type':
        body = setAt(body, m.pointer, m.value);
        break;
      case 'huge-string':
        body = setAt(body, m.pointer, 'x'.repeat(m.length));
        break;
      case 'unknown-property':
        body = setAt(body, `${m.pointer}/${token(m.name)}`, m.value);
        break;
    }
  }
  return deep.reduce((text, d) => text.replace(d.marker, d.text), JSON.stringify(body));
}

/** How the body travels: as the operation reads it, cut short, or declared as another media type or charset. */
const ENVELOPE = fc.oneof(
  { weight: 8, arbitrary: fc.constant('as-is') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'truncated',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/merge-patch+json',
    ),
  },
);

/** A short description of a request for failure messages (bodies may be megabytes). */
const describeRequest = (op: PostOperation, path: string, applied: readonly Mutation[], key: string | undefined) =>
  `${op.service} POST ${path} key=${key ?? '-'} ${JSON.stringify(applied.map((m) => ({ ...m, ...('value' in m ? { value: JSON.stringify(m.value).slice(0, 40) } : {}) })))}`;

describe('every POST route of the four services, fuzzed from their OpenAPI documents (issue #11)', () => {
  let services: FourServices;
  let ids: ChainIds;
  let admin: Client;
  const tables = {} as Record<Service, string[]>;
  const operations: PostOperation[] = [];

  /** Rows in each table a request may write, for one service, as the administrative user sees them. */
  const rowCounts = async (service: Service): Promise<Record<string, number>> => {
    const list = tables[service];
    if (list.length === 0) return {};
    const { rows } = await admin.query<{ t: string; n: string }>(
      list.map((t) => `SELECT '${t}' AS t, count(*) AS n FROM ${t}`).join(' UNION ALL '),
    );
    return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
  };

  const send = async (
    service: Service,
    path: string,
    raw: string,
    options: { caller: Caller; mediaType?: string; idempotencyKey?: string | undefined },
  ): Promise<HttpResult> => {
    const res = await fetch(`${services.url[service]}${path}`, {
      method: 'POST',
      headers: {
        'content-type': options.mediaType ?? 'application/json',
        authorization: `Bearer ${await tokenFor(options.caller)}`,
        ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      },
      body: raw,
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body, headers: res.headers };
  };

  beforeAll(async () => {
    services = await startFourServices('post-fuzz');
    ids = await seedChain(services.call);
    admin = new Client({ connectionString: services.db.adminUrl });
    await admin.connect();
    for (const service of SERVICES) {
      const { rows } = await admin.query<{ t: string }>(
        `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1`,
        [SCHEMA_OF[service]],
      );
      tables[service] = rows.map((r) => r.t).filter((t) => !NOT_WRITTEN_BY_REQUESTS.has(t));
      const document = (await services.call[service]('GET', '/docs/openapi.json')).body;
      operations.push(...postOperations(service, document));
    }
  });

  afterAll(async () => {
    await admin?.end();
    await services?.close();
  });

  it('found every POST route of the four services, each with an example body and the tables it may write', () => {
    expect(operations.length).toBeGreaterThanOrEqual(26);
    expect(operations.map((o) => `${o.service} ${o.path}`).sort()).toEqual(Object.keys(examples(ids)).sort());
    expect(operations.every((o) => o.roles.length > 0)).toBe(true);
    for (const service of SERVICES)
      expect(tables[service]).toEqual(expect.arrayContaining([`${SCHEMA_OF[service]}.aggregates`, `${SCHEMA_OF[service]}.outbox`]));
  });

  describe('item 3: text the database cannot store is refused with 400 REQUEST.UNSTORABLE_TEXT, storing nothing', () => {
    // One free-text field of each kind the fault run found answering 500.
    const cases: Array<[string, Service, string, () => Caller, () => Json, string]> = [
      ['model name', 'model-registry', '/models', () => people.vendorA, () => registerBody(), '/name'],
      ['intended use', 'model-registry', '/models/{modelId}/versions', () => people.vendorA, () => release('4.0.0'), '/intendedUse'],
      [
        'policy summary',
        'deployment-approval',
        '/deployments/{deploymentId}/usage-policies',
        () => people.adminA,
        () => examples(ids)['deployment-approval /deployments/{deploymentId}/usage-policies']!() as Json,
        '/summary',
      ],
      [
        'training course',
        'deployment-approval',
        '/training-records',
        () => people.adminA,
        () => examples(ids)['deployment-approval /training-records']!() as Json,
        '/course',
      ],
      ['output summary', 'usage-events', '/outputs', () => people.clinicalA, () => outputBody(newOutputId(), ids), '/summary'],
      [
        'rationale',
        'usage-events',
        '/outputs/{outputId}/actions',
        () => people.clinicalA,
        () => examples(ids)['usage-events /outputs/{outputId}/actions']!() as Json,
        '/rationale',
      ],
      [
        'instruction note',
        'usage-events',
        '/instructions',
        () => people.clinicalA,
        () => examples(ids)['usage-events /instructions']!() as Json,
        '/note',
      ],
      [
        'incident reference',
        'usage-events',
        '/incidents',
        () => people.clinicalA,
        () => examples(ids)['usage-events /incidents']!() as Json,
        '/harmReference',
      ],
      [
        'batch item',
        'usage-events',
        '/batches',
        () => people.clinicalA,
        () => examples(ids)['usage-events /batches']!() as Json,
        '/items/0/body/summary',
      ],
      ['case title', 'ledger', '/cases', () => people.investigatorA, () => examples(ids)['ledger /cases']!() as Json, '/title'],
    ];
    const concrete = (path: string) =>
      path.replace('{modelId}', ids.modelId).replace('{deploymentId}', ids.deploymentId).replace('{outputId}', ids.outputId);

    it.each(
      cases.flatMap(
        ([what, ...rest]) =>
          [
            [`${what}, U+0000`, ...rest, 'before\u0000after'],
            [`${what}, a lone surrogate`, ...rest, 'before\ud800after'],
          ] as const,
      ),
    )('%s', async (_what, service, path, caller, body, pointer, bad) => {
      const before = await rowCounts(service);
      const res = await send(service, concrete(path), JSON.stringify(setAt(body(), pointer, bad)), {
        caller: caller(),
        idempotencyKey: `fuzz-${randomUUID()}`,
      });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'REQUEST.UNSTORABLE_TEXT' });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors).toEqual([expect.objectContaining({ pointer, rule: 'storable-text' })]);
      expect(await rowCounts(service)).toEqual(before);
    });

    it('FHIR text (Provenance.reason[0].text): 400 with an OperationOutcome at that element, storing nothing', async () => {
      const before = await rowCounts('usage-events');
      const resource = setAt(provenance(ids.outputId, 'accepted', nowIso()) as unknown as Json, '/reason/0/text', 'normal \u0000 lactate');
      const res = await send('usage-events', '/fhir/Provenance', JSON.stringify(resource), {
        caller: people.clinicalA,
        mediaType: 'application/fhir+json',
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/fhir+json');
      expect(res.body).toEqual({
        resourceType: 'OperationOutcome',
        issue: [
          expect.objectContaining({
            severity: 'error',
            code: 'invalid',
            expression: ['Provenance.reason[0].text'],
            details: { coding: [{ system: 'urn:aal:problem', code: 'REQUEST.UNSTORABLE_TEXT' }] },
          }),
        ],
      });
      expect(await rowCounts('usage-events')).toEqual(before);
    });
  });

  it('on every GET route, a NUL in a path or query value is refused with a 4xx, and bytes that are not UTF-8 never answer a 5xx', async () => {
    const answers: string[] = [];
    let checked = 0;
    for (const service of SERVICES) {
      const document = (await services.call[service]('GET', '/docs/openapi.json')).body as { paths: Record<string, Record<string, any>> };
      for (const [path, operations] of Object.entries(document.paths)) {
        const get = operations['get'];
        if (!get) continue;
        const roles = (get['x-aal-roles'] ?? []) as Role[];
        const caller = roles.length > 0 ? CALLER_OF[roles[0]!] : people.auditorA;
        const named = ((get.parameters ?? []) as Array<{ in: string; name: string }>).filter((p) => p.in === 'query').map((p) => p.name);
        const query = [...new Set([...named, 'from', 'limit', 'after', 'size', 'time', 'first', 'second', 'asOf', 'knownAt', 'cursor'])];
        const withNulInPath = path.replace(
          /\{(\w+)\}/g,
          (_, name: string) => `${name === 'seq' ? '0' : name === 'outputId' ? ids.outputId : randomUUID()}%00`,
        );
        const withNulInQuery = `${path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'seq' ? '0' : name === 'outputId' ? ids.outputId : name === 'caseId' ? ids.caseId : randomUUID()))}?${query.map((q) => `${q}=1%00`).join('&')}`;
        // Percent-encoded bytes that are not UTF-8 (a lone surrogate's, a truncated sequence): a path
        // segment cannot be decoded (400); a query value decodes to U+FFFD, storable, so a route
        // that ignores the parameter may answer 200. Neither may be a 5xx.
        const notUtf8InPath = path.replace(/\{(\w+)\}/g, '%ED%A0%80%C3');
        const notUtf8InQuery = `${path.replace(/\{(\w+)\}/g, () => randomUUID())}?${query.map((q) => `${q}=%ED%A0%80%C3`).join('&')}`;
        type Expectation = readonly [target: string, expected: 'must refuse' | 'no 5xx'];
        const inPath: Expectation[] = path.includes('{')
          ? [
              [withNulInPath, 'must refuse'],
              [notUtf8InPath, 'no 5xx'],
            ]
          : [];
        const targets: Expectation[] = [...inPath, [withNulInQuery, 'must refuse'], [notUtf8InQuery, 'no 5xx']];
        for (const [target, expected] of targets) {
          const res = await services.call[service]('GET', target, {
            caller,
            ...(roles.includes('auditor')
              ? { headers: { authorization: `Bearer ${await tokenFor(caller, { grants: ['all-organisations'] })}` } }
              : {}),
          });
          if (expected === 'must refuse' ? res.status < 400 || res.status >= 500 : res.status >= 500)
            answers.push(`${res.status} ${service} ${target}`);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(answers).toEqual([]);
  });

  it('property: whatever a POST body holds, no answer is a 5xx, and a refused request stores nothing', async () => {
    const byRoute = examples(ids);
    const existing: Record<string, string> = {
      modelId: ids.modelId,
      versionId: ids.versionId,
      noticeId: ids.noticeId,
      deploymentId: ids.deploymentId,
      outputId: ids.outputId,
      caseId: ids.caseId,
      mandateId: ids.mandateId,
      concernId: ids.concernId,
    };
    const checked: Array<{ route: string; statuses: Record<number, number> }> = [];
    for (const op of operations) {
      const route = `${op.service} ${op.path}`;
      const example = byRoute[route]!;
      const base = example() as Json;
      const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const path = fc
        .tuple(...params.map((name) => fc.constantFrom(existing[name] ?? randomUUID(), name === 'outputId' ? newOutputId() : randomUUID())))
        .map((values) => params.reduce((p, name, i) => p.replace(`{${name}}`, values[i]!), op.path));
      const statuses: Record<number, number> = {};
      await fc.assert(
        fc.asyncProperty(path, mutations(base, op.schema), fc.boolean(), ENVELOPE, async (target, applied, withKey, envelope) => {
          const key = withKey ? `fuzz-${randomUUID()}` : undefined;
          const body = mutatedBody(example() as Json, applied);
          const raw = envelope === 'truncated' ? body.slice(0, Math.max(1, body.length - 3)) : body;
          const mediaType = envelope === 'as-is' || envelope === 'truncated' ? op.mediaType : envelope;
          const before = await rowCounts(op.service);
          const res = await send(op.service, target, raw, { caller: CALLER_OF[op.roles[0]!], mediaType, idempotencyKey: key });
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          const what = `${describeRequest(op, target, applied, key)} envelope=${envelope}`;
          if (res.status >= 500) throw new Error(`${res.status} for ${what}: ${JSON.stringify(res.body).slice(0, 500)}`);
          if (res.status >= 400) {
            const after = await rowCounts(op.service);
            if (JSON.stringify(after) !== JSON.stringify(before))
              throw new Error(`refused with ${res.status} but stored rows: ${JSON.stringify({ before, after })} for ${what}`);
          }
        }),
        { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
      );
      checked.push({ route, statuses });
    }
    // Every route was reached, and the mutations were refused at least once on each (they are meant to be).
    if (process.env['FUZZ_REPORT']) process.stdout.write(`${JSON.stringify(checked, null, 1)}\n`);
    expect(checked).toHaveLength(operations.length);
    expect(checked.filter((c) => !Object.keys(c.statuses).some((s) => s.startsWith('4')))).toEqual([]);
  }, 300_000);
});

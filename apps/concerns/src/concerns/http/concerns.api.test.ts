import { subjectOf } from '@aal/contracts';
import { authenticateEvent, examineEvent } from '@aal/ledger-core';
import { readTopic } from '@aal/kafka';
import { testEventKeySet } from '@aal/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { CONCERNS_SCHEMA } from '../../database/concerns.schema';
import {
  concernBody,
  knownTarget,
  people,
  startConcerns,
  vendorId,
  employerId,
  type KnownTarget,
  type RunningConcerns,
} from '../../testing/concerns-app';

describe('concerns: intake, acknowledgement, answers and receipts over HTTP, through the outbox to Kafka', () => {
  let app: RunningConcerns;
  let target: KnownTarget;
  beforeAll(async () => {
    app = await startConcerns();
    target = await knownTarget(app);
  });
  afterAll(async () => {
    await app?.close();
  });
  const onDeployment = () => ({ kind: 'deployment' as const, deploymentId: target.deploymentId });
  const raise = (caller = people.employerIntake, body: unknown = concernBody(onDeployment())) =>
    app.call('POST', '/concerns', { caller, body });

  it('takes in a concern, resolves its addressees, sets its due dates and publishes a signed concern.raised', async () => {
    const res = await raise();
    expect(res.status).toBe(201);
    const concern = res.body;
    expect(concern).toMatchObject({
      status: 'raised',
      intakeOrganisationId: employerId,
      about: {
        kind: 'deployment',
        deploymentId: target.deploymentId,
        employerId,
        modelId: target.modelId,
        versionId: target.versionId,
        vendorId,
      },
      addressees: [
        { party: 'vendor', organisationId: vendorId },
        { party: 'employer', organisationId: employerId },
      ],
      takenInBy: people.employerIntake,
    });
    const hours = (a: string, b: string) => (Date.parse(a) - Date.parse(b)) / 3_600_000;
    expect(hours(concern.acknowledgeBy, concern.raisedAt)).toBe(48);
    expect(hours(concern.answerBy, concern.raisedAt)).toBe(336);
    expect(concern.receipt.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(concern.receipt.url).toBe(`/concerns/receipts/${concern.receipt.code}`);

    // Every event on the topic is one this service signed and the ledger would admit; ours is among them.
    const messages = await readTopic(app.kafka, app.topic, 2);
    const admitted = await Promise.all(
      messages.map((m) => authenticateEvent(examineEvent(m, 'concerns', testEventKeySet()), testEventKeySet())),
    );
    expect(admitted.map((d) => d.kind)).toEqual(['accept', 'accept']);
    const ours = admitted.find((d) => d.kind === 'accept' && (d.event.data as { concernId: string }).concernId === concern.concernId);
    expect(ours).toMatchObject({
      event: { type: 'aal.concern.raised.v1', subject: subjectOf('concern', concern.concernId) },
      emitter: 'concerns',
    });
    expect(messages.map((m) => m.value?.toString('utf8')).join()).not.toContain(concern.receipt.code);
  });

  it('stores only the hash of the receipt code', async () => {
    const { body } = await raise();
    const db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    try {
      const rows = await db.query(`SELECT encode(code_sha256, 'hex') AS h FROM ${CONCERNS_SCHEMA.schema}.receipts WHERE concern_id = $1`, [
        body.concernId,
      ]);
      expect(rows.rows).toHaveLength(1);
      const everything = await db.query(`SELECT row_to_json(r)::text AS t FROM ${CONCERNS_SCHEMA.schema}.receipts r`);
      const aggregates = await db.query(`SELECT state::text AS t FROM ${CONCERNS_SCHEMA.schema}.aggregates`);
      const outbox = await db.query(`SELECT row_to_json(o)::text AS t FROM ${CONCERNS_SCHEMA.schema}.outbox o`);
      for (const row of [...everything.rows, ...aggregates.rows, ...outbox.rows]) expect(row.t).not.toContain(body.receipt.code);
    } finally {
      await db.end();
    }
  });

  it('shows the holder of a receipt that one concern’s status and nothing more; a wrong code gives 404, never another concern', async () => {
    const first = (await raise()).body;
    const second = (await raise(people.employerIntake, concernBody(onDeployment(), { category: 'usability', severity: 'low' }))).body;

    const seen = await app.call('GET', first.receipt.url);
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({
      status: 'raised',
      category: 'bias-or-unequal-performance',
      severity: 'high',
      raisedAt: first.raisedAt,
      acknowledgeBy: first.acknowledgeBy,
      answerBy: first.answerBy,
      addressees: [{ party: 'vendor' }, { party: 'employer' }],
    });
    expect((await app.call('GET', second.receipt.url)).body).toMatchObject({ category: 'usability', severity: 'low' });

    const code = first.receipt.code as string;
    const wrong = [
      randomBytes(32).toString('base64url'),
      `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`,
      code.slice(0, 20),
      `${code}x`,
      second.concernId,
      first.concernId,
    ];
    for (const attempt of wrong) {
      const res = await app.call('GET', `/concerns/receipts/${attempt}`);
      expect({ attempt, status: res.status, code: res.body.code }).toEqual({ attempt, status: 404, code: 'CONCERN.RECEIPT_NOT_FOUND' });
      expect(JSON.stringify(res.body)).not.toMatch(/bias|usability|raisedAt/);
    }
  });

  it('lets each addressee acknowledge and answer once; the receipt then shows the answers’ kinds and dates only', async () => {
    const concern = (await raise()).body;
    const path = `/concerns/${concern.concernId}`;
    expect(
      (
        await app.call('POST', `${path}/answers`, {
          caller: people.vendorSafety,
          body: { answer: 'mitigation-in-place', reference: 'HL-118' },
        })
      ).body,
    ).toMatchObject({
      code: 'CONCERN.NOT_YET_ACKNOWLEDGED',
    });
    expect((await app.call('POST', `${path}/acknowledgements`, { caller: people.vendorSafety, body: {} })).status).toBe(201);
    expect((await app.call('POST', `${path}/acknowledgements`, { caller: people.vendorSafety, body: {} })).status).toBe(409);
    expect((await app.call('POST', `${path}/acknowledgements`, { caller: people.employerAdmin, body: {} })).body).toMatchObject({
      status: 'acknowledged',
    });
    const answered = await app.call('POST', `${path}/answers`, {
      caller: people.vendorSafety,
      body: { answer: 'version-or-configuration-changed', reference: 'Release note 2.1.1: threshold recalibrated per subgroup' },
    });
    expect(answered.status).toBe(201);
    const done = await app.call('POST', `${path}/answers`, {
      caller: people.employerAdmin,
      body: { answer: 'mitigation-in-place', reference: 'Ward 7A huddle note 2026-03-09' },
    });
    expect(done.body).toMatchObject({ status: 'answered' });
    expect(done.body.history.map((e: { type: string }) => e.type)).toEqual([
      'aal.concern.raised.v1',
      'aal.concern.acknowledged.v1',
      'aal.concern.acknowledged.v1',
      'aal.concern.answered.v1',
      'aal.concern.answered.v1',
    ]);

    const receipt = (await app.call('GET', concern.receipt.url)).body;
    expect(receipt).toMatchObject({
      status: 'answered',
      addressees: [
        { party: 'vendor', answer: 'version-or-configuration-changed', acknowledgedAt: expect.any(String), answeredAt: expect.any(String) },
        { party: 'employer', answer: 'mitigation-in-place', acknowledgedAt: expect.any(String), answeredAt: expect.any(String) },
      ],
    });
    expect(JSON.stringify(receipt)).not.toMatch(/Release note|huddle|psn_|acme-ai|st-swithins|description/);
  });

  it('refuses an organisation the concern is not addressed to, and readers outside its parties', async () => {
    const concern = (await raise()).body;
    const res = await app.call('POST', `/concerns/${concern.concernId}/acknowledgements`, { caller: people.outsider, body: {} });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CONCERN.NOT_AN_ADDRESSEE');
    expect((await app.call('GET', `/concerns/${concern.concernId}`, { caller: people.outsider })).body.code).toBe(
      'AUTH.OTHER_ORGANISATION',
    );
    expect((await app.call('GET', `/concerns/${concern.concernId}`, { caller: people.vendorSafety })).status).toBe(200);
    expect((await app.call('GET', `/concerns/${concern.concernId}`, { caller: people.auditor })).status).toBe(200);
  });

  it('refuses a description holding an NHS number with 400 naming /description, storing and publishing nothing', async () => {
    const res = await raise(
      people.employerIntake,
      concernBody(onDeployment(), { description: 'Mr Y (NHS 943 476 5919) was not flagged.' }),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'CONCERN.IDENTIFIER_IN_TEXT', errors: [expect.objectContaining({ pointer: '/description' })] });
    expect(JSON.stringify(res.body)).not.toContain('5919');
    const db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    try {
      const rows = await db.query(`SELECT count(*)::int AS n FROM ${CONCERNS_SCHEMA.schema}.outbox WHERE payload::text LIKE '%5919%'`);
      expect(rows.rows[0].n).toBe(0);
    } finally {
      await db.end();
    }
  });

  it('refuses what it does not know, an employer for a version, an intake by an outsider, and anyone without the intake role', async () => {
    const unknown = await raise(
      people.employerIntake,
      concernBody({ kind: 'deployment', deploymentId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(unknown).toMatchObject({ status: 422, body: { code: 'CONCERN.UNKNOWN_DEPLOYMENT' } });
    const onVersion = { kind: 'model-version' as const, versionId: target.versionId };
    expect((await raise(people.vendorIntake, concernBody(onVersion, { addressees: 'both' }))).body.code).toBe(
      'CONCERN.NO_EMPLOYER_FOR_VERSION',
    );
    expect((await raise(people.vendorIntake, concernBody(onVersion))).status).toBe(201);
    expect((await raise(people.outsider)).body.code).toBe('CONCERN.INTAKE_NOT_A_PARTY');
    expect((await raise(people.employerAdmin)).body.code).toBe('AUTH.ROLE_NOT_ALLOWED');
    expect((await raise(people.employerIntake, concernBody(onDeployment(), { raisedBy: 'psn_123' }))).body).toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ pointer: '/raisedBy' })],
    });
  });
});

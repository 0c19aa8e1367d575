import type { CloudEvent } from '@aal/contracts';
import {
  actors,
  deploymentSuspended,
  eventually,
  makeEvent,
  outputChainEvents,
  outputChainIds,
  safetyNoticeIssued,
  tokenFor,
} from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { TestLedger } from '../../testing/test-ledger';

/**
 * The accountability API of the ledger alone, fed real signed events through Kafka: the as-of
 * clock (a deployment suspended between two outputs), the known-at clock (a safety notice that
 * reached the ledger after the output), waiting for a position, inclusion-proof links and bad
 * parameters. Seqs are looked up by event id, never assumed: topics are consumed in parallel.
 */
describe('GET /outputs/{outputId}/accountability', () => {
  let ledger: TestLedger;
  let token: string;
  const base = Date.now() - 13 * 60_000;
  const t = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const ids = outputChainIds(`out-api-${randomUUID().slice(0, 8)}`);
  const secondOutputId = `${ids.outputId}-b`;
  const chain = outputChainEvents(ids, base);
  const suspension = deploymentSuspended(ids, { effectiveAt: t(11), reason: 'Vendor safety notice under review.', time: t(11) });
  const secondOutput = makeEvent(
    'output.generated',
    {
      outputId: secondOutputId,
      organisationId: 'st-swithins',
      deploymentId: ids.deploymentId,
      modelId: ids.modelId,
      versionId: ids.versionId,
      subjectRef: 'psn_subject00099',
      outputDigest: `sha256:${'e'.repeat(64)}`,
      site: 'ward-7a',
      actor: actors.clinicalSystem,
    },
    { time: t(12) },
  );
  // Issued before the first output, but published (so recorded) only after everything else.
  const lateNotice = safetyNoticeIssued(ids, {
    severity: 'high',
    summary: 'Under-triage with beta blockers.',
    requiredAction: 'Review low scores by hand.',
    time: t(6),
  });

  const get = async (path: string) => {
    const res = await fetch(`${ledger.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
  };
  const accountability = (outputId: string, query = '') => get(`/outputs/${outputId}/accountability${query}`);
  const seqOf = (event: CloudEvent<unknown>): Promise<number> =>
    ledger.asAdmin(async (client) =>
      Number((await client.query('SELECT seq FROM ledger.entries WHERE event_id = $1', [event.id])).rows[0].seq),
    );
  const entryCount = (): Promise<number> =>
    ledger.asAdmin(async (client) => Number((await client.query('SELECT count(*) AS n FROM ledger.entries')).rows[0].n));
  const publish = (events: CloudEvent<unknown>[]) => ledger.publish(events);

  beforeAll(async () => {
    ledger = await TestLedger.start('accountability-api');
    token = await tokenFor(
      { organisationId: 'st-swithins', personId: 'psn_investigator01', role: 'investigator' },
      { roles: ['auditor'], grants: ['all-organisations'] },
    );
    // The setting first, so the outputs are never the log's first entries (knownAt=<output seq - 1> is asked below).
    await publish(chain.slice(0, 7));
    await eventually(entryCount, (n) => n >= 7, 60000, 'the setting in the log');
    await publish([...chain.slice(7), suspension, secondOutput]);
    await eventually(
      () => accountability(secondOutputId),
      (r) => r.status === 200 && r.body.approvedAndDeployed.transitions.length === 4 && r.body.actedOn.actions.length === 0,
      60000,
      'both outputs and the suspension',
    );
    await eventually(
      () => accountability(ids.outputId),
      (r) => r.status === 200 && r.body.actedOn.actions.length === 1,
      60000,
      'the first output acted on',
    );
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  describe('asOf: a deployment suspended between two outputs', () => {
    it('answers the first output from an active deployment and the second from a suspended one, with the finding and its evidence', async () => {
      const suspendedAt = await seqOf(suspension);
      const first = (await accountability(ids.outputId)).body;
      const second = (await accountability(secondOutputId)).body;
      expect(first).toMatchObject({ asOf: t(10), asOfSource: 'output-generated' });
      expect(first.approvedAndDeployed.stateAtOutputTime.state).toBe('active');
      expect(first.findings.map((f: { code: string }) => f.code)).not.toContain('DEPLOYMENT.NOT_ACTIVE_AT_TIME');
      expect(second).toMatchObject({ asOf: t(12), asOfSource: 'output-generated' });
      expect(second.approvedAndDeployed.stateAtOutputTime.state).toBe('suspended');
      expect(second.findings).toContainEqual(
        expect.objectContaining({
          code: 'DEPLOYMENT.NOT_ACTIVE_AT_TIME',
          evidence: [suspendedAt, await seqOf(secondOutput)].sort((a, b) => a - b),
          details: { deploymentId: ids.deploymentId, state: 'suspended' },
        }),
      );
    });

    it('answers the first output as of a time after the suspension: the deployment was suspended by then', async () => {
      const later = (await accountability(ids.outputId, `?asOf=${encodeURIComponent(t(12))}`)).body;
      expect(later).toMatchObject({ asOf: t(12), asOfSource: 'requested' });
      expect(later.approvedAndDeployed.stateAtOutputTime.state).toBe('suspended');
      const offset = (
        await accountability(ids.outputId, `?asOf=${encodeURIComponent(new Date(Date.parse(t(12))).toISOString().replace('Z', '+00:00'))}`)
      ).body;
      expect(offset.asOf).toBe(t(12));
    });
  });

  describe('knownAt: a safety notice recorded after the output it preceded', () => {
    let outputSeq: number;
    let noticeSeq: number;

    beforeAll(async () => {
      await publish([lateNotice]);
      await eventually(
        () => accountability(ids.outputId),
        (r) => r.status === 200 && r.body.built.safetyNoticesInForce.length === 1,
        60000,
        'the late notice',
      );
      outputSeq = (await accountability(ids.outputId)).body.output.evidence[0];
      noticeSeq = await seqOf(lateNotice);
    });

    it('shows the notice in force, after the output in the ledger though it happened before, with the finding', async () => {
      const now = (await accountability(ids.outputId)).body;
      expect(noticeSeq).toBeGreaterThan(outputSeq);
      expect(now.knownAt).toMatchObject({ source: 'latest' });
      expect(now.knownAt.seq).toBeGreaterThanOrEqual(noticeSeq);
      const [notice] = now.built.safetyNoticesInForce;
      expect(notice).toMatchObject({ happenedAt: t(6), evidence: [noticeSeq] });
      expect(Date.parse(notice.recordedAt)).toBeGreaterThan(Date.parse(now.output.recordedAt));
      expect(now.findings).toContainEqual(
        expect.objectContaining({ code: 'SAFETY_NOTICE.NO_EMPLOYER_RESPONSE', evidence: [outputSeq, noticeSeq].sort((a, b) => a - b) }),
      );
    });

    it('answers as the ledger knew it when the output was recorded (by seq or by time): no notice, no such finding', async () => {
      const bySeq = (await accountability(ids.outputId, `?knownAt=${noticeSeq - 1}`)).body;
      expect(bySeq.knownAt).toMatchObject({ seq: noticeSeq - 1, source: 'requested' });
      expect(bySeq.built.safetyNoticesInForce).toEqual([]);
      expect(bySeq.findings.map((f: { code: string }) => f.code)).not.toContain('SAFETY_NOTICE.NO_EMPLOYER_RESPONSE');

      const recordedOutput = (await accountability(ids.outputId)).body.output.recordedAt as string;
      const byTime = (await accountability(ids.outputId, `?knownAt=${encodeURIComponent(recordedOutput)}`)).body;
      expect(byTime.knownAt.seq).toBeLessThan(noticeSeq);
      expect(byTime.built.safetyNoticesInForce).toEqual([]);
    });

    it('answers 404 when the ledger did not yet know the output', async () => {
      const res = await accountability(ids.outputId, `?knownAt=${outputSeq - 1}`);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'OUTPUT.NOT_FOUND', knownAt: { seq: outputSeq - 1 } });
    });
  });

  describe('inclusion proofs and positions', () => {
    it('links every piece of evidence to an inclusion proof in the tree of the knownAt size, and the link answers', async () => {
      const answer = (await accountability(ids.outputId, `?knownAt=${chain.length - 1}`)).body;
      const treeSize = answer.knownAt.seq + 1;
      expect(answer.built.version.inclusionProofs).toEqual(
        answer.built.version.evidence.map((seq: number) => `/entries/${seq}/inclusion-proof?treeSize=${treeSize}`),
      );
      for (const f of answer.findings) expect(f.inclusionProofs).toHaveLength(f.evidence.length);
      const proof = await get(answer.output.inclusionProofs[0]);
      expect(proof.status).toBe(200);
      expect(proof.body).toMatchObject({ seq: answer.output.evidence[0], treeSize });
    });

    it('waits for a position already reached and answers at once', async () => {
      const res = await accountability(ids.outputId, '?waitFor=0');
      expect(res.status).toBe(200);
    });

    it('answers 503 with Retry-After when the projection does not reach the position in time', async () => {
      const res = await accountability(ids.outputId, '?waitFor=999999999');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ code: 'PROJECTION.BEHIND', status: 503, waitFor: 999999999, retryAfter: 1 });
    });

    it('gives the same bytes for the same question asked twice', async () => {
      const query = `?knownAt=${chain.length + 1}&asOf=${encodeURIComponent(t(10))}`;
      expect((await accountability(ids.outputId, query)).text).toBe((await accountability(ids.outputId, query)).text);
    });
  });

  describe('bad parameters', () => {
    it.each([
      ['asOf=yesterday', '/asOf'],
      ['knownAt=-1', '/knownAt'],
      ['knownAt=2026-13-45', '/knownAt'],
      ['waitFor=soon', '/waitFor'],
      ['since=0', '/since'],
    ])('answers %s with a 400 problem naming %s', async (query, pointer) => {
      const res = await accountability(ids.outputId, `?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    });

    it('answers a knownAt time that names no day (31 February) with a 400 problem', async () => {
      const res = await accountability(ids.outputId, '?knownAt=2026-02-31T10:00:00Z');
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain('/knownAt');
    });
  });

  describe('many answers at once', () => {
    it('answers more concurrent requests than the database pool holds, each with its oversight context from one snapshot', async () => {
      // Each answer reads its oversight context in a snapshot transaction; a read inside it that
      // took a second pooled connection deadlocked the pool once every connection held a snapshot.
      const answers = await Promise.all(Array.from({ length: 40 }, () => accountability(ids.outputId)));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      for (const { body } of answers) expect(body.oversightContext).toMatchObject({ proven: false, knownAt: body.knownAt.seq });
    });
  });
});

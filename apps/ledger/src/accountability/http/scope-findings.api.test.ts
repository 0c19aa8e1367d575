import { SCOPE_FINDING_CODES } from '@aal/accountability';
import { buildEvent, DeploymentApprovedV1, type CloudEvent, type DeploymentApprovedV2, type EventData } from '@aal/contracts';
import { actors, eventually, makeEvent, outputChainEvents, outputChainIds, tokenFor } from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { TestLedger } from '../../testing/test-ledger';

/**
 * The approved-scope checks of the ledger alone, fed real signed events through Kafka (issue #14).
 * A deployment approved without a machine-readable scope (deployment.approved v1) and with a review
 * date on the outputs' own day; two outputs, one within what is later scoped and one outside it on
 * every count, and one stating no service or population. Only after them does the ledger record a
 * scope change and a review, both back-dated to before the outputs: known at the latest position
 * they give the scope findings and clear the review date; known at the position before them, the
 * scope checks are not made and the approval is past its review date. Seqs are looked up by event
 * id, never assumed: topics are consumed in parallel.
 */
describe('GET /outputs/{outputId}/accountability: the approved scope', () => {
  let ledger: TestLedger;
  let token: string;
  const base = Date.now() - 13 * 60_000;
  const t = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const outputsDay = t(10).slice(0, 10);
  const ids = outputChainIds(`out-scope-${randomUUID().slice(0, 8)}`);
  // A v1 approval, named explicitly (the factory builds the newest version), with no scope.
  const chain = outputChainEvents(ids, base).map((e) => {
    if (!e.type.startsWith('aal.deployment.approved.')) return e;
    const { scope: _none, ...v1 } = { ...(e.data as EventData<typeof DeploymentApprovedV2>), reviewDate: outputsDay };
    return buildEvent(DeploymentApprovedV1, v1, { id: randomUUID(), source: '/aal/deployment-approval/test', time: e.time });
  });
  const generated = chain.find((e) => e.type.startsWith('aal.output.generated.'))!;
  const output = (suffix: string, facts: Record<string, unknown>) => {
    const data = { ...(generated.data as Record<string, unknown>), outputId: `${ids.outputId}-${suffix}`, ...facts };
    return makeEvent('output.generated', data, { time: t(10) });
  };
  const within = output('within', { service: 'Acute medicine', population: { ageBand: '40-64', contraindicationCodes: [] } });
  const outside = output('outside', {
    site: 'ward-7b',
    service: 'Paediatrics',
    population: { ageBand: '12-15', contraindicationCodes: ['snomed:77386006'] },
  });
  const silent = output('silent', {});
  const scope = {
    sites: ['ward-7a'],
    services: ['Acute medicine'],
    roles: ['staff-nurse'],
    population: { ageBands: ['18-39', '40-64', '65-79', '80-plus'], excludedContraindicationCodes: ['snomed:77386006'] },
    uses: ['advisory'],
  };
  const employer = { deploymentId: ids.deploymentId, employerId: 'st-swithins', actor: actors.safetyOfficer };
  const scopeChange = makeEvent(
    'deployment.scope-changed',
    { ...employer, scope, reviewDate: '2099-01-01', reason: 'Scope written down at the first review.', effectiveAt: t(4) },
    { time: new Date().toISOString() },
  );
  const review = makeEvent(
    'deployment.reviewed',
    { ...employer, summary: 'Reviewed; no incidents.', nextReviewDate: '2099-01-01', effectiveAt: t(5) },
    { time: new Date().toISOString() },
  );

  const get = async (path: string) => {
    const res = await fetch(`${ledger.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const accountability = async (event: CloudEvent<unknown>, query = '') =>
    (await get(`/outputs/${(event.data as { outputId: string }).outputId}/accountability${query}`)).body;
  const seqOf = (event: CloudEvent<unknown>): Promise<number> =>
    ledger.asAdmin(async (client) =>
      Number((await client.query('SELECT seq FROM ledger.entries WHERE event_id = $1', [event.id])).rows[0].seq),
    );
  const entryCount = (): Promise<number> =>
    ledger.asAdmin(async (client) => Number((await client.query('SELECT count(*) AS n FROM ledger.entries')).rows[0].n));
  const codes = (answer: { findings: Array<{ code: string }> }) => answer.findings.map((f) => f.code);
  const SCOPE_CODES: readonly string[] = SCOPE_FINDING_CODES;
  const scopeCodes = (answer: { findings: Array<{ code: string }> }) => codes(answer).filter((c) => SCOPE_CODES.includes(c));

  beforeAll(async () => {
    ledger = await TestLedger.start('scope-findings-api');
    token = await tokenFor(
      { organisationId: 'st-swithins', personId: 'psn_investigator01', role: 'investigator' },
      { roles: ['auditor'], grants: ['all-organisations'] },
    );
    const setting = chain.filter((e) => e !== generated && !e.type.startsWith('aal.output.'));
    await ledger.publish(setting);
    await eventually(entryCount, (n) => n >= setting.length, 60000, 'the setting in the log');
    await ledger.publish([within, outside, silent]);
    await eventually(entryCount, (n) => n >= setting.length + 3, 60000, 'the outputs in the log');
    await ledger.publish([scopeChange, review]);
    await eventually(entryCount, (n) => n >= setting.length + 5, 60000, 'the scope change and the review in the log');
  }, 120000);

  afterAll(async () => {
    await ledger?.stop();
  });

  it('finds the output outside the back-dated scope on site, service and population, with the scope change and the output as evidence', async () => {
    const [changeSeq, outsideSeq] = [await seqOf(scopeChange), await seqOf(outside)];
    const answer = await accountability(outside);
    expect(answer.approvedAndDeployed.scope).toMatchObject({
      source: 'deployment.scope-changed',
      scope,
      evidence: [changeSeq],
      backDated: true,
    });
    expect(scopeCodes(answer)).toEqual([
      'SCOPE.SITE_NOT_APPROVED',
      'SCOPE.SERVICE_NOT_APPROVED',
      'SCOPE.POPULATION_NOT_APPROVED',
      'SCOPE.POPULATION_NOT_APPROVED',
      'VERSION.POPULATION_EXCLUDED',
    ]);
    const evidence = [changeSeq, outsideSeq].sort((a, b) => a - b);
    for (const f of answer.findings.filter((f: { code: string }) => f.code.startsWith('SCOPE.'))) expect(f.evidence).toEqual(evidence);
    expect(answer.findings.find((f: { code: string }) => f.code === 'SCOPE.SITE_NOT_APPROVED').statement).toBe(
      `Output ${ids.outputId}-outside was produced on ward-7b; the scope in force at ${t(10)} (entry ${changeSeq}) approves the sites ward-7a.`,
    );
    expect(codes(answer)).toContain('RECORDING.BACK_DATED');
    // The release (v2) intends adults and codes only its own contraindication, not the SNOMED one.
    expect(answer.findings.find((f: { code: string }) => f.code === 'VERSION.POPULATION_EXCLUDED').details).toMatchObject({
      check: 'version-age-band',
      ageBand: '12-15',
    });
    expect(answer.scopeChecks.find((c: { check: string }) => c.check === 'version-contraindications')).toMatchObject({ outcome: 'within' });
  });

  it('finds nothing for the output within the scope, and says which checks an output without service or population allows', async () => {
    expect(scopeCodes(await accountability(within))).toEqual([]);
    const silentAnswer = await accountability(silent);
    expect(scopeCodes(silentAnswer)).toEqual([]);
    const outcomes = Object.fromEntries(silentAnswer.scopeChecks.map((c: { check: string; outcome: string }) => [c.check, c.outcome]));
    expect(outcomes).toMatchObject({ site: 'within', service: 'not-checked', 'approved-age-band': 'not-checked', 'review-date': 'within' });
    expect(silentAnswer.scopeChecks.find((c: { check: string }) => c.check === 'service').statement).toBe(
      `Not checked: output ${ids.outputId}-silent does not state the service it was produced in.`,
    );
  });

  it('known before the scope change and the review: no scope finding, the checks say the approval states no scope, and the review date had been reached', async () => {
    const firstLate = Math.min(await seqOf(scopeChange), await seqOf(review));
    const approvalSeq = await seqOf(chain.find((e) => e.type.startsWith('aal.deployment.approved.'))!);
    const before = await accountability(outside, `?knownAt=${firstLate - 1}`);
    expect(before.approvedAndDeployed.scope).toBeNull();
    expect(scopeCodes(before)).toEqual(['VERSION.POPULATION_EXCLUDED', 'APPROVAL.REVIEW_OVERDUE']);
    expect(before.findings.find((f: { code: string }) => f.code === 'APPROVAL.REVIEW_OVERDUE').evidence).toEqual(
      [approvalSeq, await seqOf(outside)].sort((a, b) => a - b),
    );
    expect(before.scopeChecks.find((c: { check: string }) => c.check === 'site')).toMatchObject({
      outcome: 'not-checked',
      statement: `Not checked: the approval of deployment ${ids.deploymentId} (entry ${approvalSeq}) states no machine-readable scope, and no scope change was in force at ${t(10)}.`,
    });
    expect(scopeCodes(await accountability(outside))).not.toContain('APPROVAL.REVIEW_OVERDUE');
  });
});

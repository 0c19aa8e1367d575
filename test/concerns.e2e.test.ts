import { eventually, type HttpResult } from '@aal/testing';
import { randomUUID } from 'node:crypto';
import {
  B,
  concernBody,
  ok,
  outputBody,
  people,
  seedChain,
  startFourServices,
  type ChainIds,
  type FourServices,
} from './support/four-services';

// Issue #15, part 1, end to end: concerns taken in, acknowledged and answered through the concerns
// service's API reach the ledger through Kafka as signed events, and the ledger's answer for a
// concern (GET /concerns/{concernId}/accountability) derives its findings from the proven entries:
// each finding in one story that produces it and one that must not.

const requesterB = { organisationId: B.employer, personId: 'psn_oh_requester1', role: 'employer-requester' };
const plusMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

describe('concerns reach the ledger, which finds missed due dates and repeated concerns', () => {
  let services: FourServices;
  let ids: ChainIds;
  beforeAll(async () => {
    services = await startFourServices('concerns-e2e');
    ids = await seedChain(services.call);
  });
  afterAll(async () => {
    await services?.close();
  });

  const concerns = (...args: Parameters<FourServices['call']['concerns']>) => services.call.concerns(...args);
  /** The ledger's answer for a concern once the ledger holds `until` of it (polling while its events are in flight). */
  const ledgerAnswer = (concernId: string, asOf: string | undefined, until: (r: HttpResult) => boolean = (r) => r.status === 200) =>
    eventually(
      () =>
        services.call.ledger('GET', `/concerns/${concernId}/accountability${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`, {
          caller: people.auditorA,
        }),
      until,
      30000,
      `the ledger's answer for concern ${concernId}`,
    );
  const codes = (r: HttpResult) => (r.body.findings as Array<{ code: string }>).map((f) => f.code);

  it('accepts the concern events, proves them, and finds each addressee that had not acknowledged by the due date', async () => {
    const concern = (await concerns('GET', `/concerns/${ids.concernId}`, { caller: people.intakeA })).body;
    const early = await ledgerAnswer(ids.concernId, plusMinutes(concern.raisedAt, 60));
    expect(early.body).toMatchObject({ concernId: ids.concernId, status: 'raised', asOfSource: 'requested', findings: [] });
    expect(early.body.concern).toMatchObject({
      intakeOrganisationId: people.intakeA.organisationId,
      severity: 'high',
      acknowledgeBy: concern.acknowledgeBy,
      evidence: [expect.any(Number)],
      inclusionProofs: [expect.stringMatching(/^\/entries\/\d+\/inclusion-proof\?treeSize=\d+$/)],
    });

    const overdue = await ledgerAnswer(ids.concernId, plusMinutes(concern.acknowledgeBy, 1));
    expect(codes(overdue)).toEqual(['CONCERN.NOT_ACKNOWLEDGED_BY_DUE_DATE', 'CONCERN.NOT_ACKNOWLEDGED_BY_DUE_DATE']);
    expect(overdue.body.findings.map((f: { details: { addressee: { party: string } } }) => f.details.addressee.party)).toEqual([
      'vendor',
      'employer',
    ]);
    expect(overdue.body.findings[0].evidence).toEqual(early.body.concern.evidence);
    const answerDue = await ledgerAnswer(ids.concernId, plusMinutes(concern.answerBy, 1));
    expect(codes(answerDue)).toEqual([
      'CONCERN.NOT_ACKNOWLEDGED_BY_DUE_DATE',
      'CONCERN.NOT_ACKNOWLEDGED_BY_DUE_DATE',
      'CONCERN.NOT_ANSWERED_BY_DUE_DATE',
      'CONCERN.NOT_ANSWERED_BY_DUE_DATE',
    ]);
  });

  let answeredConcernId = '';

  it('finds no missed due date for a concern both addressees acknowledged and answered in time', async () => {
    const raised = await ok(
      concerns('POST', '/concerns', { caller: people.intakeA, body: concernBody({ kind: 'deployment', deploymentId: ids.deploymentId }) }),
    );
    const path = `/concerns/${raised.concernId}`;
    await ok(concerns('POST', `${path}/acknowledgements`, { caller: people.vendorSafetyA, body: {} }));
    await ok(concerns('POST', `${path}/acknowledgements`, { caller: people.adminA, body: {} }));
    await ok(
      concerns('POST', `${path}/answers`, {
        caller: people.vendorSafetyA,
        body: { answer: 'version-or-configuration-changed', reference: 'Release 2.1.1' },
      }),
    );
    await ok(
      concerns('POST', `${path}/answers`, {
        caller: people.adminA,
        body: { answer: 'mitigation-in-place', reference: 'Ward 7A briefing' },
      }),
    );

    answeredConcernId = raised.concernId;
    const late = await ledgerAnswer(
      raised.concernId,
      plusMinutes(raised.answerBy, 60),
      (r) => r.status === 200 && r.body.status === 'answered',
    );
    expect(late.body.findings).toEqual([]);
    expect(late.body.answers.map((a: { addressee: { party: string }; answer: string }) => [a.addressee.party, a.answer])).toEqual([
      ['vendor', 'version-or-configuration-changed'],
      ['employer', 'mitigation-in-place'],
    ]);
    expect(late.body.basis.seqs).toEqual(
      expect.arrayContaining([...late.body.concern.evidence, ...late.body.answers.flatMap((a: { evidence: number[] }) => a.evidence)]),
    );
  });

  it('finds concerns of one category about one version across organisations, and not within one organisation or across categories', async () => {
    const usability = await ok(
      concerns('POST', '/concerns', {
        caller: people.intakeA,
        body: concernBody({ kind: 'deployment', deploymentId: ids.deploymentId }, { category: 'usability' }),
      }),
    );
    // Only St Swithin's has taken in concerns so far (two of bias, one of usability): no pattern yet.
    expect(codes(await ledgerAnswer(ids.concernId, undefined))).not.toContain('CONCERN.REPEATED_ACROSS_ORGANISATIONS');

    // Another hospital deploys the same version and takes in a concern of the same category.
    const deploymentB = await ok(
      services.call['deployment-approval']('POST', '/deployments', {
        caller: requesterB,
        body: {
          modelId: ids.modelId,
          versionId: ids.versionId,
          setting: { sites: ['ward-3'], services: ['Acute medicine'], roles: ['staff-nurse'] },
          intendedUse: 'Sepsis early warning, advisory.',
        },
      }),
    );
    const fromB = await eventually(
      () =>
        concerns('POST', '/concerns', {
          caller: people.intakeB,
          body: concernBody({ kind: 'deployment', deploymentId: deploymentB.deploymentId }),
        }),
      (r) => r.status === 201,
      30000,
      'the concerns service to know the second deployment',
    );
    expect(fromB.body.addressees).toEqual([
      { party: 'vendor', organisationId: people.vendorA.organisationId },
      { party: 'employer', organisationId: B.employer },
    ]);

    const repeated = await ledgerAnswer(
      ids.concernId,
      undefined,
      (r) => r.status === 200 && codes(r).includes('CONCERN.REPEATED_ACROSS_ORGANISATIONS'),
    );
    const finding = repeated.body.findings.find((f: { code: string }) => f.code === 'CONCERN.REPEATED_ACROSS_ORGANISATIONS');
    expect(finding.details).toMatchObject({
      versionId: ids.versionId,
      category: 'bias-or-unequal-performance',
      organisations: [B.employer, people.intakeA.organisationId].sort(),
    });
    expect(finding.details.concernIds).toEqual(expect.arrayContaining([ids.concernId, fromB.body.concernId]));
    expect(finding.details.concernIds).not.toContain(usability.concernId);
    expect(finding.evidence).toHaveLength(finding.details.concernIds.length);

    // The usability concern stays alone in its category.
    expect(codes(await ledgerAnswer(usability.concernId, undefined))).not.toContain('CONCERN.REPEATED_ACROSS_ORGANISATIONS');
  });

  it('finds, on an output produced while a serious concern about its deployment was open, that concern; not on one produced before it, nor an answered one', async () => {
    const outputOf = (outputId: string, until: (r: HttpResult) => boolean = (r) => r.status === 200) =>
      eventually(
        () => services.call.ledger('GET', `/outputs/${outputId}/accountability`, { caller: people.auditorA }),
        until,
        30000,
        `the ledger's answer for output ${outputId}`,
      );
    const openConcerns = (r: HttpResult) =>
      (r.body.findings as Array<{ code: string; details: { concernId: string } }>)
        .filter((f) => f.code === 'CONCERN.OPEN_AT_OUTPUT_TIME')
        .map((f) => f.details.concernId);

    // The seeded output was produced before the seeded concern was taken in.
    expect(openConcerns(await outputOf(ids.outputId))).toEqual([]);

    const later = `out-${randomUUID()}`;
    await ok(services.call['usage-events']('POST', '/outputs', { caller: people.clinicalA, body: outputBody(later, ids) }));
    const answer = await outputOf(later);
    const open = openConcerns(answer);
    expect(open).toContain(ids.concernId);
    expect(open).not.toContain(answeredConcernId);
    const finding = answer.body.findings.find((f: { details: { concernId: string } }) => f.details.concernId === ids.concernId);
    expect(finding.evidence).toEqual(
      [answer.body.output.evidence[0], (await ledgerAnswer(ids.concernId, undefined)).body.concern.evidence[0]].sort((x, y) => x - y),
    );
  });

  it('answers a concern only to the organisations that took it in or must answer it, and 404 for one it does not hold', async () => {
    const other = { ...people.auditorA, organisationId: 'care-quality-audit' };
    const refused = await services.call.ledger('GET', `/concerns/${ids.concernId}/accountability`, { caller: other });
    expect(refused).toMatchObject({ status: 403, body: { code: 'AUTH.OTHER_ORGANISATION' } });
    const unknown = await services.call.ledger('GET', '/concerns/00000000-0000-4000-8000-000000000000/accountability', {
      caller: people.auditorA,
    });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'CONCERN.NOT_FOUND' } });
  });
});

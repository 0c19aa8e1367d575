import type { Fact } from './fact';
import { answerIncidentClock } from './incident-clock';

const incidentId = '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d';
const about = {
  deploymentId: 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff',
  deployerId: 'st-swithins-hospital',
  modelId: '11111111-2222-4333-8444-555555555555',
  versionId: '66666666-7777-4888-9999-aaaaaaaaaaaa',
  vendorId: 'acme-clinical-ai',
};
const deployer = { organisationId: 'st-swithins-hospital', personId: 'psn_sw_cso_00001', role: 'employer-approver' };
const provider = { organisationId: 'acme-clinical-ai', personId: 'psn_acme_safety01', role: 'vendor-safety-officer' };
const awareAt = '2026-11-02T09:00:00.000Z';

/** A fact as decodeFact would give it, recorded when it happened. */
function fact(seq: number, name: string, time: string, data: Record<string, unknown>): Fact {
  return { seq, name, type: `aal.${name}.v1`, subject: `x/${seq}`, time, recordedAt: time, data } as unknown as Fact;
}
const registered = (riskClass: string) =>
  fact(0, 'model.registered', '2026-10-01T00:00:00.000Z', { modelId: about.modelId, vendorId: about.vendorId, riskClass, actor: provider });
const classified = (o: Record<string, unknown> = {}) =>
  fact(1, 'incident.classified', '2026-11-02T10:00:00.000Z', {
    incidentId,
    about,
    classification: 'serious-harm-to-health',
    publicHealthThreat: false,
    awareAt,
    informProviderWithinHours: 24,
    harmReference: 'LFPSE W-1',
    actor: deployer,
    ...o,
  });
const informed = (seq: number, madeAt: string, time = madeAt) =>
  fact(seq, 'incident.provider-informed', time, { incidentId, about, madeAt, reference: 'SW-INC-1', actor: deployer });
const reported = (seq: number, authority: string, madeAt: string, time = madeAt) =>
  fact(seq, 'incident.authority-reported', time, { incidentId, about, authority, madeAt, reference: 'R-1', actor: provider });
const clocks = (asOf: string) => ({ asOf, knownAt: { seq: 100, recordedAt: '2026-12-31T00:00:00.000Z', source: 'latest' as const } });
const codes = (facts: Fact[], asOf: string) => answerIncidentClock(incidentId, facts, clocks(asOf))!.findings.map((f) => f.code);

describe('an incident’s reporting clock', () => {
  it('given a notice made exactly at its deadline, then it is not late; a millisecond after, it is', () => {
    expect(
      codes([registered('uk-mdr-class-iia'), classified(), informed(2, '2026-11-03T09:00:00.000Z')], '2026-11-04T00:00:00.000Z'),
    ).toEqual([]);
    expect(
      codes([registered('uk-mdr-class-iia'), classified(), informed(2, '2026-11-03T09:00:00.001Z')], '2026-11-04T00:00:00.000Z'),
    ).toEqual(['INCIDENT.PROVIDER_INFORMED_LATE']);
  });

  it('given reports made exactly at the EU and MHRA deadlines counted from the notice, then none is late', () => {
    const facts = [
      registered('uk-mdr-class-iia'),
      classified(),
      informed(2, '2026-11-02T12:00:00.000Z'),
      reported(3, 'uk-mhra', '2026-11-12T12:00:00.000Z'),
      reported(4, 'eu-market-surveillance-authority', '2026-11-17T12:00:00.000Z'),
    ];
    const answer = answerIncidentClock(incidentId, facts, clocks('2026-12-01T00:00:00.000Z'))!;
    expect(answer.deadlines).toMatchObject({ euAuthorityBy: '2026-11-17T12:00:00.000Z', mhraBy: '2026-11-12T12:00:00.000Z' });
    expect(answer.findings).toEqual([]);
  });

  it('given a report recorded only after asOf, then at asOf it is missing, as the ledger knew it then', () => {
    const facts = [
      registered('uk-mdr-class-iia'),
      classified(),
      informed(2, '2026-11-02T12:00:00.000Z'),
      reported(3, 'uk-mhra', '2026-11-10T00:00:00.000Z', '2026-11-20T00:00:00.000Z'),
    ];
    expect(codes(facts, '2026-11-18T00:00:00.000Z')).toEqual(['INCIDENT.AUTHORITY_REPORT_MISSING', 'INCIDENT.MHRA_REPORT_MISSING']);
    expect(codes(facts, '2026-11-21T00:00:00.000Z')).toEqual(['INCIDENT.AUTHORITY_REPORT_MISSING']);
  });

  it('given a model that is not a medical device, or no registration known, then no MHRA report is due', () => {
    for (const facts of [[registered('not-a-medical-device'), classified()], [classified()]]) {
      const answer = answerIncidentClock(incidentId, [...facts, informed(2, awareAt)], clocks('2026-12-01T00:00:00.000Z'))!;
      expect(answer.deadlines.mhraBy).toBeNull();
      expect(answer.findings.map((f) => f.code)).toEqual(['INCIDENT.AUTHORITY_REPORT_MISSING']);
    }
  });

  it('given a deployer that is the provider, then no notice is due and the provider’s clock starts at the deployer’s awareness', () => {
    const own = classified({ about: { ...about, deployerId: about.vendorId } });
    const answer = answerIncidentClock(incidentId, [registered('uk-mdr-class-iia'), own], clocks('2026-12-01T00:00:00.000Z'))!;
    expect(answer.providerAware).toMatchObject({ at: awareAt, from: 'deployer-is-provider' });
    expect(answer.findings.map((f) => f.code)).toEqual(['INCIDENT.AUTHORITY_REPORT_MISSING', 'INCIDENT.MHRA_REPORT_MISSING']);
  });

  it('is null for an incident the ledger holds no classification of', () => {
    expect(answerIncidentClock(incidentId, [registered('uk-mdr-class-iia')], clocks('2026-12-01T00:00:00.000Z'))).toBeNull();
  });
});

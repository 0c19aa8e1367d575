import { evidenceSeqs, relatedSeqs, summarise, timelineEntry } from './case-timeline';

const entry = (type: string, data: object, seq = 4) => ({
  seq,
  recordedAt: '2026-11-03T10:00:01.000Z',
  headers: { ce_type: type, ce_time: '2026-11-03T09:59:00.000Z', ce_id: 'e-1', ce_source: '/aal/usage-events/x', ce_subject: 'output/out-1' },
  value: Buffer.from(JSON.stringify(data)),
});

describe('case timeline', () => {
  it.each([
    ['aal.model.registered.v1', 'vendor'],
    ['aal.deployment.approved.v1', 'employer'],
    ['aal.output.acted-on.v1', 'clinical-system'],
    ['aal.incident.reported.v1', 'clinical-system'],
    ['aal.case.read.v1', 'investigator'],
    ['aal.something.else.v1', 'unknown'],
  ])('given an entry of type %s, then its party is %s', (type, party) => {
    expect(timelineEntry(entry(type, {})).party).toBe(party);
  });

  it('given an entry, then the line carries both clocks, the type and a factual summary', () => {
    const line = timelineEntry(entry('aal.output.acted-on.v1', { outputId: 'out-1', professional: { personId: 'psn_nurse0000001', role: 'staff-nurse' }, action: 'overridden', reviewDurationSeconds: 95 }));
    expect(line).toEqual({
      seq: 4,
      recordedAt: '2026-11-03T10:00:01.000Z',
      eventTime: '2026-11-03T09:59:00.000Z',
      type: 'output.acted-on',
      eventType: 'aal.output.acted-on.v1',
      eventId: 'e-1',
      source: '/aal/usage-events/x',
      subject: 'output/out-1',
      party: 'clinical-system',
      summary: 'psn_nurse0000001 overridden output out-1 after 95 s of review',
    });
  });

  it('given a mandate and a case opened under it, then the summaries say who gave whom what authority, and the basis', () => {
    const cso = { organisationId: 'st-swithins', personId: 'psn_sw_cso_00001', role: 'employer-approver' };
    const granted = { mandateId: 'm-1', kind: 'incident-referral', organisationId: 'st-swithins', grantingOrganisationId: 'st-swithins', investigatingOrganisationId: 'hsib', scope: { kind: 'incident', incidentId: 'i-1' }, reference: 'Referral 117', actor: cso };
    expect(summarise('mandate.granted', granted)).toBe('psn_sw_cso_00001 (employer-approver, st-swithins) gave hsib mandate m-1 (incident-referral) over incident i-1 of st-swithins (Referral 117)');
    expect(summarise('mandate.granted', { ...granted, kind: 'regulator-mandate', scope: { kind: 'organisation' }, until: '2027-01-01T00:00:00Z' })).toContain('over all records of st-swithins until 2027-01-01T00:00:00Z');
    const opener = { organisationId: 'hsib', personId: 'psn_investigator01', role: 'investigator' };
    const basis = [{ organisationId: 'st-swithins', by: 'mandate', mandateIds: ['m-1'] }, { organisationId: 'hsib', by: 'own-organisation' }];
    expect(summarise('case.opened', { caseId: 'c-1', openedAgainst: { treeSize: 12 }, basis, actor: opener })).toBe(
      'psn_investigator01 (investigator, hsib) opened case c-1 against checkpoint 12 (basis: st-swithins under mandate m-1; hsib, its own)',
    );
    expect(summarise('case.opened', { caseId: 'c-1', openedAgainst: { treeSize: 12 }, actor: opener })).toBe('psn_investigator01 (investigator, hsib) opened case c-1 against checkpoint 12');
  });

  it('given a value that is not JSON, then the line is still made', () => {
    expect(timelineEntry({ ...entry('aal.output.generated.v1', {}), value: Buffer.from('{no') }).summary).toContain('output');
  });

  it('given an unknown event name, then the summary names it without guessing', () => {
    expect(summarise('thing.happened', {})).toBe('thing.happened about an aggregate');
  });

  it('given an accountability answer, then every evidence seq anywhere in it is collected', () => {
    const answer = { output: { evidence: [7] }, built: { model: { evidence: [0] }, notices: [{ evidence: [2, 3] }] }, findings: [{ code: 'X', evidence: [3, 9] }], other: { seq: 99 } };
    expect(evidenceSeqs(answer).sort((a, b) => a - b)).toEqual([0, 2, 3, 3, 7, 9]);
  });

  it('given several seq lists and a knownAt, then the union is ascending, de-duplicated and cut at knownAt', () => {
    expect(relatedSeqs([[9, 2, 5], [5, 12], [0]])).toEqual([0, 2, 5, 9, 12]);
    expect(relatedSeqs([[9, 2, 5], [5, 12], [0]], 5)).toEqual([0, 2, 5]);
  });
});

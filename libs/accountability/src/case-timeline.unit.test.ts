import { toBinaryMessage, type CloudEvent } from '@aal/contracts';
import { actors, makeEvent } from '@aal/testing';
import { evidenceSeqs, recomputeTimeline, relatedSeqs, summarise, timelineEntry } from './case-timeline';
import { asFact } from './testing/as-fact';

/** A valid event as the ledger records it. */
const recorded = (event: CloudEvent<unknown>, seq = 4) => {
  const m = toBinaryMessage(event);
  return { seq, recordedAt: '2026-11-03T10:00:01.000Z', headers: m.headers, value: new TextEncoder().encode(m.value) };
};
const fact = (event: CloudEvent<unknown>) => asFact(event, 1, '2026-11-03T10:00:01.000Z');

const entry = (type: string, data: object, seq = 4) => ({
  seq,
  recordedAt: '2026-11-03T10:00:01.000Z',
  headers: {
    ce_type: type,
    ce_time: '2026-11-03T09:59:00.000Z',
    ce_id: 'e-1',
    ce_source: '/aal/usage-events/x',
    ce_subject: 'output/out-1',
  },
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

  it('given an entry, then the line carries both clocks, the type and a factual summary decoded from its content', () => {
    const event = makeEvent(
      'output.acted-on',
      {
        outputId: 'out-1xx',
        organisationId: 'st-swithins',
        professional: { personId: 'psn_nurse0000001', role: 'staff-nurse' },
        action: 'overridden',
        reviewDurationSeconds: 95,
        actor: actors.clinicalSystem,
      },
      { time: '2026-11-03T09:59:00.000Z', id: 'e-1', source: '/aal/usage-events/x' },
    );
    expect(timelineEntry(recorded(event))).toEqual({
      seq: 4,
      recordedAt: '2026-11-03T10:00:01.000Z',
      eventTime: '2026-11-03T09:59:00.000Z',
      type: 'output.acted-on',
      eventType: 'aal.output.acted-on.v1',
      eventId: 'e-1',
      source: '/aal/usage-events/x',
      subject: 'output/out-1xx',
      party: 'clinical-system',
      summary: 'psn_nurse0000001 overridden output out-1xx after 95 s of review',
    });
  });

  it('given a mandate and a case opened under it, then the summaries say who gave whom what authority, and the basis', () => {
    const cso = { organisationId: 'st-swithins', personId: 'psn_sw_cso_00001', role: 'employer-approver' };
    const [mandateId, incidentId, caseId] = [
      '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
      '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
      '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f60',
    ];
    const granted = {
      mandateId,
      kind: 'incident-referral',
      organisationId: 'st-swithins',
      grantingOrganisationId: 'st-swithins',
      investigatingOrganisationId: 'hsib',
      scope: { kind: 'incident', incidentId },
      reference: 'Referral 117',
      actor: cso,
    };
    expect(summarise(fact(makeEvent('mandate.granted', granted)))).toBe(
      `psn_sw_cso_00001 (employer-approver, st-swithins) gave hsib mandate ${mandateId} (incident-referral) over incident ${incidentId} of st-swithins (Referral 117)`,
    );
    const opener = { organisationId: 'hsib', personId: 'psn_investigator01', role: 'investigator' };
    const basis = [
      { organisationId: 'st-swithins', by: 'mandate', mandateIds: [mandateId] },
      { organisationId: 'hsib', by: 'own-organisation' },
    ];
    const opened = {
      caseId,
      organisationId: 'hsib',
      title: 'Missed alert',
      incidentId,
      openedAgainst: { treeSize: 12, rootHash: 'ab'.repeat(32) },
      basis,
      actor: opener,
    };
    expect(summarise(fact(makeEvent('case.opened', opened)))).toBe(
      `psn_investigator01 (investigator, hsib) opened case ${caseId} against checkpoint 12 (basis: st-swithins under mandate ${mandateId}; hsib, its own)`,
    );
  });

  it('given a value that is not JSON, or data that breaks its contract, then the line is still made and says it does not decode', () => {
    expect(timelineEntry(entry('aal.output.generated.v1', {})).summary).toBe(
      'output.generated that does not decode as a valid catalogue event',
    );
    expect(timelineEntry({ ...entry('aal.output.generated.v1', {}), value: Buffer.from('{no') }).summary).toContain('output.generated');
  });

  it('given an unknown event type, then the line names it as recorded, without guessing a catalogue name', () => {
    const line = timelineEntry(entry('aal.thing.happened.v1', {}));
    expect(line).toMatchObject({ type: 'aal.thing.happened.v1', eventType: 'aal.thing.happened.v1', party: 'unknown' });
    expect(line.summary).toBe('aal.thing.happened.v1 that does not decode as a valid catalogue event');
  });

  it('given an entry at an older schema version, then its line has the catalogue name the definition gives', () => {
    expect(timelineEntry(entry('aal.case.opened.v1', {})).type).toBe('case.opened');
  });

  it('given an accountability answer, then every evidence seq anywhere in it is collected', () => {
    const answer = {
      output: { evidence: [7] },
      built: { model: { evidence: [0] }, notices: [{ evidence: [2, 3] }] },
      findings: [{ code: 'X', evidence: [3, 9] }],
      other: { seq: 99 },
    };
    expect(evidenceSeqs(answer).sort((a, b) => a - b)).toEqual([0, 2, 3, 3, 7, 9]);
  });

  it('given several seq lists and a knownAt, then the union is ascending, de-duplicated and cut at knownAt', () => {
    expect(relatedSeqs([[9, 2, 5], [5, 12], [0]])).toEqual([0, 2, 5, 9, 12]);
    expect(relatedSeqs([[9, 2, 5], [5, 12], [0]], 5)).toEqual([0, 2, 5]);
  });
});

describe('case timeline, recomputed from proven entries', () => {
  const proven = [
    recorded(
      makeEvent('model.registered', {
        modelId: '0f5d2d51-2c43-4a8e-bb2f-6b1e9e7c3d20',
        vendorId: 'acme-ai',
        name: 'SepsisWatch',
        intendedPurpose: 'Early warning.',
        riskClass: 'uk-mdr-class-iia',
        manufacturerSafetyOfficer: 'psn_acmecso00001',
        actor: actors.vendorAdmin,
      }),
      2,
    ),
    entry('aal.output.acted-on.v1', {}, 5),
    entry('aal.case.read.v1', {}, 7),
  ];
  const honest = () => JSON.parse(JSON.stringify(proven.map(timelineEntry))) as Array<Record<string, unknown>>;

  it('given the lines the entries give, when recomputed, then there is no difference', () => {
    expect(recomputeTimeline(honest(), proven)).toEqual({ entries: 3, lines: 3, difference: null });
  });

  it('given a line whose summary was edited, when recomputed, then that line and field are named with both values', () => {
    const lines = honest();
    lines[0]!['summary'] = 'someone else registered it';
    expect(recomputeTimeline(lines, proven).difference).toMatchObject({
      line: 0,
      seq: 2,
      pointer: '/0/summary',
      stated: 'someone else registered it',
      recomputed: proven.map(timelineEntry)[0]!.summary,
    });
  });

  it("given a line's recorded time edited, when recomputed, then it is named", () => {
    const lines = honest();
    lines[1]!['recordedAt'] = '2026-11-03T09:00:00.000Z';
    expect(recomputeTimeline(lines, proven).difference).toMatchObject({ line: 1, seq: 5, pointer: '/1/recordedAt' });
  });

  it('given a proven entry left out of the timeline, when recomputed, then the missing line is named', () => {
    const lines = honest();
    lines.splice(1, 1);
    expect(recomputeTimeline(lines, proven).difference).toMatchObject({ line: 1, seq: 7, pointer: expect.stringMatching(/^\/1\//) });
  });

  it('given a line for an entry that is not proven, when recomputed, then it is named', () => {
    const lines = [...honest(), { ...honest()[2], seq: 9 }];
    expect(recomputeTimeline(lines, proven).difference).toMatchObject({ line: 3, seq: 9, pointer: '/3' });
  });

  it('given entries recorded after the last stated line, when recomputed, then they are not required (the timeline was read earlier)', () => {
    expect(recomputeTimeline(honest().slice(0, 2), proven).difference).toBeNull();
  });
});

import { toBinaryMessage, type CloudEvent } from '@aal/contracts';
import { makeEvent } from '@aal/testing';
import { randomUUID } from 'node:crypto';
import { holdInForce, holdsRecomputation } from './case-record';
import { t } from './testing/chain-fixture';

const lead = { organisationId: 'hsib', personId: 'psn_investigator01', role: 'investigator' };
const caseId = randomUUID();
const opened = makeEvent('case.opened', {
  caseId,
  organisationId: 'hsib',
  title: 'Missed alert',
  incidentId: randomUUID(),
  openedAgainst: { treeSize: 12, rootHash: 'ab'.repeat(32) },
  basis: [{ organisationId: 'hsib', by: 'own-organisation' }],
  actor: lead,
});
const placed = makeEvent(
  'case.hold-placed',
  { caseId, organisationId: 'hsib', reason: 'Inquest ref. CO-2026-441', actor: lead },
  { time: t(10) },
);
const lifted = makeEvent(
  'case.hold-lifted',
  { caseId, organisationId: 'hsib', reason: 'Inquest concluded.', actor: lead },
  { time: t(20) },
);
const raw = (...events: CloudEvent[]) =>
  events.map((e, seq) => {
    const m = toBinaryMessage(e);
    return { seq, recordedAt: e.time, headers: m.headers, value: new TextEncoder().encode(m.value) };
  });

describe('holdsRecomputation (the investigator page re-deriving a case’s legal hold)', () => {
  it('given a hold placed and not lifted, when the export states it, then they agree and the hold names its entry', () => {
    const r = holdsRecomputation(
      { caseId, hold: { placedBy: lead, placedAt: t(10), reason: 'Inquest ref. CO-2026-441' } },
      caseId,
      raw(opened, placed),
    );
    expect(r).toEqual({
      entries: 2,
      holds: [{ placedBy: lead, placedAt: t(10), reason: 'Inquest ref. CO-2026-441', evidence: [1] }],
      difference: null,
    });
    expect(holdInForce(r.holds)).toEqual({ placedBy: lead, placedAt: t(10), reason: 'Inquest ref. CO-2026-441' });
  });

  it('given a hold placed and lifted, when the export states none, then they agree; when it states the lifted one, then it differs at /case/hold', () => {
    const entries = raw(opened, placed, lifted);
    const none = holdsRecomputation({ caseId }, caseId, entries);
    expect(none.difference).toBeNull();
    expect(none.holds[0]).toMatchObject({ lifted: { by: lead, at: t(20), reason: 'Inquest concluded.' }, evidence: [1, 2] });
    const stale = holdsRecomputation(
      { caseId, hold: { placedBy: lead, placedAt: t(10), reason: 'Inquest ref. CO-2026-441' } },
      caseId,
      entries,
    );
    expect(stale.difference).toEqual({
      pointer: '/case/hold',
      recomputed: null,
      stated: { placedBy: lead, placedAt: t(10), reason: 'Inquest ref. CO-2026-441' },
    });
  });

  it('given a hold in force, when the export states another reason or none, then the first differing field is named', () => {
    const entries = raw(opened, placed);
    expect(
      holdsRecomputation({ caseId, hold: { placedBy: lead, placedAt: t(10), reason: 'Routine.' } }, caseId, entries).difference,
    ).toEqual({ pointer: '/case/hold/reason', recomputed: 'Inquest ref. CO-2026-441', stated: 'Routine.' });
    expect(holdsRecomputation({ caseId }, caseId, entries).difference).toMatchObject({ pointer: '/case/hold', stated: null });
  });

  it('given entries without the case’s case.opened, when re-derived, then they record no hold', () => {
    expect(holdsRecomputation({ caseId }, caseId, raw(placed))).toEqual({ entries: 1, holds: [], difference: null });
  });
});

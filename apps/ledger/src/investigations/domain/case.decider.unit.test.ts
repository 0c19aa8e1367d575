import type { Actor } from '@aal/contracts';
import { deciderSpec } from '@aal/testing/unit';
import { caseDecider, isInvestigator, type CaseCommand, type CaseEvent } from './case.decider';

const CASE = '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab';
const INCIDENT = '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d';
const opener: Actor = { organisationId: 'hsib', personId: 'psn_investigator01', role: 'investigator' };
const colleague: Actor = { organisationId: 'cqc', personId: 'psn_regulator0001', role: 'investigator' };
const stranger: Actor = { organisationId: 'hsib', personId: 'psn_someoneelse01', role: 'investigator' };
const checkpoint = { treeSize: 12, rootHash: 'ab'.repeat(32) };
const occurredAt = '2026-11-03T10:00:00.000Z';

const { given } = deciderSpec(caseDecider);

// The opener's organisation investigates its own incident: the mandate rule has its own tests.
const records = [{ kind: 'incident' as const, id: INCIDENT, organisationId: 'hsib' }];
const open = (): CaseCommand => ({
  kind: 'OpenCase',
  caseId: CASE,
  title: 'Missed sepsis alert, ward 7A',
  incidentId: INCIDENT,
  checkpoint,
  records,
  mandates: [],
  actor: opener,
  occurredAt,
});
const opened = () => given().when(open()).decided().events[0]!;
const read = (actor: Actor): CaseCommand => ({
  kind: 'RecordRead',
  caseId: CASE,
  view: 'timeline',
  positions: { knownAt: 9 },
  logSize: 14,
  actor,
  occurredAt,
});

describe('case decider', () => {
  it('given no case, when an investigator opens one about an incident, then case.opened records who, about what and against which checkpoint', () => {
    given()
      .when(open())
      .then([
        {
          name: 'case.opened',
          occurredAt,
          data: {
            caseId: CASE,
            organisationId: 'hsib',
            title: 'Missed sepsis alert, ward 7A',
            incidentId: INCIDENT,
            openedAgainst: checkpoint,
            basis: [{ organisationId: 'hsib', by: 'own-organisation' }],
            actor: opener,
          },
        },
      ]);
  });

  it('given the opened case, then its opener is its only investigator', () => {
    const { state } = given(opened());
    expect(isInvestigator(state, opener)).toBe(true);
    expect(isInvestigator(state, stranger)).toBe(false);
    expect(state).toMatchObject({
      status: 'open',
      openedBy: opener,
      openedAt: occurredAt,
      openedAgainst: checkpoint,
      scope: { kind: 'incident', incidentId: INCIDENT },
      basis: [{ by: 'own-organisation' }],
    });
  });

  it.each<[string, Partial<CaseCommand>]>([
    ['both an incident and outputs', { outputIds: ['out-1'] }],
    ['neither an incident nor outputs', { incidentId: undefined }],
  ])('given no case, when opened with %s, then it is refused', (_what, change) => {
    given()
      .when({ ...open(), ...change } as CaseCommand)
      .thenRefuses('CASE.SCOPE_INVALID');
  });

  it('given an empty log (no checkpoint), when a case is opened, then it is refused', () => {
    given()
      .when({ ...open(), checkpoint: null } as CaseCommand)
      .thenRefuses('CASE.NO_CHECKPOINT');
  });

  it('given an opened case, when its investigator reads it, then the read is recorded with the reader and the positions', () => {
    given(opened())
      .when(read(opener))
      .then([
        {
          name: 'case.read',
          occurredAt,
          data: { caseId: CASE, organisationId: 'hsib', view: 'timeline', knownAt: 9, logSize: 14, actor: opener },
        },
      ]);
  });

  it('given an opened case, when someone else (even an investigator by role, same organisation) reads it, then access is denied and nothing is recorded', () => {
    const error = given(opened()).when(read(stranger)).thenRefuses('CASE.ACCESS_DENIED');
    expect(error.kind).toBe('forbidden');
  });

  it('given a colleague granted access, when they read, then the read is theirs', () => {
    const {
      events: [granted],
    } = given(opened())
      .when({
        kind: 'GrantAccess',
        caseId: CASE,
        grantee: { organisationId: 'cqc', personId: colleague.personId },
        actor: opener,
        occurredAt,
      })
      .decided();
    expect(granted).toMatchObject({
      name: 'case.access-granted',
      data: { grantee: { organisationId: 'cqc', personId: colleague.personId }, actor: opener },
    });
    expect(given(opened(), granted!).when(read(colleague)).decided().events[0]!.data.actor).toEqual(colleague);
  });

  it('given the same person in another organisation, then they are not an investigator (pseudonyms are per organisation)', () => {
    expect(isInvestigator(given(opened()).state, { organisationId: 'cqc', personId: opener.personId })).toBe(false);
  });

  it('given a grantee already investigating, when granted again, then nothing happens', () => {
    given(opened()).when({ kind: 'GrantAccess', caseId: CASE, grantee: opener, actor: opener, occurredAt }).then([]);
  });

  it('given a stranger, when they grant themselves access, then it is refused', () => {
    given(opened())
      .when({ kind: 'GrantAccess', caseId: CASE, grantee: stranger, actor: stranger, occurredAt })
      .thenRefuses('CASE.ACCESS_DENIED');
  });

  it('given a closed case, when read, then the read is still recorded; when access is granted, then it is refused', () => {
    const {
      events: [closed],
    } = given(opened()).when({ kind: 'CloseCase', caseId: CASE, reason: 'Report sent.', actor: opener, occurredAt }).decided();
    const closedCase = given(opened(), closed!);
    expect(closedCase.state).toMatchObject({ status: 'closed', closedAt: occurredAt });
    expect(closedCase.when(read(opener)).decided().events).toHaveLength(1);
    closedCase.when({ kind: 'GrantAccess', caseId: CASE, grantee: colleague, actor: opener, occurredAt }).thenRefuses('CASE.CLOSED');
    closedCase.when({ kind: 'CloseCase', caseId: CASE, actor: opener, occurredAt }).thenRefuses('CASE.CLOSED');
  });

  it('given a case.opened v1 entry (before mandates, no basis), then it still folds into an open case', () => {
    const { basis: _none, ...v1 } = (opened() as Extract<CaseEvent, { name: 'case.opened' }>).data;
    expect(given({ name: 'case.opened', occurredAt, data: v1 }).state).toMatchObject({ status: 'open', caseId: CASE });
    expect(given({ name: 'case.opened', occurredAt, data: v1 }).state).not.toHaveProperty('basis');
  });

  it("given another organisation's incident and no mandate, when opened, then it is refused before anything else about the log", () => {
    const foreign = {
      ...open(),
      records: [{ kind: 'incident' as const, id: INCIDENT, organisationId: 'st-swithins' }],
      checkpoint: null,
    } as CaseCommand;
    expect(given().when(foreign).thenRefuses('CASE.NO_MANDATE')).toMatchObject({ kind: 'forbidden' });
  });

  it('given no case, when read, then it is not found', () => {
    expect(given().when(read(opener)).thenRefuses('CASE.NOT_FOUND')).toMatchObject({ kind: 'not-found' });
  });

  it('given an opened case, when opened again, then it is refused', () => {
    given(opened()).when(open()).thenRefuses('CASE.EXISTS');
  });
  describe('legal hold', () => {
    const place = (actor: Actor, reason = 'Inquest ref. CO-2026-441'): CaseCommand => ({
      kind: 'PlaceHold',
      caseId: CASE,
      reason,
      actor,
      occurredAt,
    });
    const lift = (actor: Actor, reason = 'Inquest concluded'): CaseCommand => ({
      kind: 'LiftHold',
      caseId: CASE,
      reason,
      actor,
      occurredAt,
    });
    const granted = (): CaseEvent =>
      given(opened())
        .when({
          kind: 'GrantAccess',
          caseId: CASE,
          grantee: { organisationId: 'cqc', personId: colleague.personId },
          actor: opener,
          occurredAt,
        })
        .decided().events[0]!;
    const held = () => given(opened(), granted()).when(place(opener)).decided().events[0]!;

    it('given an investigator, when they place a hold, then case.hold-placed records who, when and why, and the state holds it', () => {
      const decided = given(opened())
        .when(place(opener))
        .then([
          {
            name: 'case.hold-placed',
            occurredAt,
            data: { caseId: CASE, organisationId: 'hsib', reason: 'Inquest ref. CO-2026-441', actor: opener },
          },
        ]);
      expect(decided.state).toMatchObject({ hold: { placedBy: opener, placedAt: occurredAt, reason: 'Inquest ref. CO-2026-441' } });
    });

    it('given a hold in force, when another is placed, then it is refused (one hold at a time)', () => {
      expect(given(opened(), granted(), held()).when(place(colleague)).thenRefuses('CASE.HOLD_IN_FORCE')).toMatchObject({
        kind: 'conflict',
      });
    });

    it('given a stranger to the case, when they place a hold, then access is denied', () => {
      given(opened()).when(place(stranger)).thenRefuses('CASE.ACCESS_DENIED');
    });

    it('given a closed case, when a hold is placed, then it is recorded (evidence is often frozen after the report)', () => {
      const closed = given(opened()).when({ kind: 'CloseCase', caseId: CASE, actor: opener, occurredAt }).decided().events[0]!;
      expect(
        given(opened(), closed)
          .when(place(opener))
          .decided()
          .events.map((e) => e.name),
      ).toEqual(['case.hold-placed']);
    });

    it("given a hold placed by hsib, when an investigator of another organisation lifts it, then it is refused; when hsib's investigator lifts it, then case.hold-lifted and no hold", () => {
      const history = [opened(), granted(), held()];
      expect(
        given(...history)
          .when(lift(colleague))
          .thenRefuses('CASE.HOLD_NOT_THEIRS'),
      ).toMatchObject({ kind: 'forbidden' });
      const decided = given(...history)
        .when(lift(opener))
        .then([
          {
            name: 'case.hold-lifted',
            occurredAt,
            data: { caseId: CASE, organisationId: 'hsib', reason: 'Inquest concluded', actor: opener },
          },
        ]);
      expect(decided.state).not.toHaveProperty('hold');
    });

    it('given no hold, when one is lifted, then it is refused', () => {
      expect(given(opened()).when(lift(opener)).thenRefuses('CASE.NO_HOLD')).toMatchObject({ kind: 'conflict' });
    });
  });
});

import { deciderSpec, sepsisWatchPopulation } from '@aal/testing/unit';
import { modelDecider } from './model.decider';
import type { ModelCommand, ModelEvent } from './model.types';

// ---- test data -------------------------------------------------------------------------------

const vendorAdmin = { organisationId: 'acme-ai', personId: 'psn_acmeadmin001', role: 'vendor-admin' };
const otherVendor = { organisationId: 'rival-ai', personId: 'psn_rivaladmin01', role: 'vendor-admin' };

const modelId = '0f5d2d51-2c43-4a8e-bb2f-6b1e9e7c3d20';
const versionId = '9a1c2e37-7d4b-4f1a-8c55-0e2b3f4a5b61';
const secondVersionId = '1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7a8b';
const unknownVersionId = '7e6d5c4b-3a29-4817-8f6e-5d4c3b2a1908';
const noticeId = 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f';
const REQUESTED_AT = '2025-01-10T09:00:00.000Z';

type CommandOf<K extends ModelCommand['kind']> = Extract<ModelCommand, { kind: K }>;

const command = {
  register: (o: Partial<CommandOf<'RegisterModel'>> = {}): ModelCommand => ({
    kind: 'RegisterModel',
    occurredAt: REQUESTED_AT,
    modelId,
    name: 'SepsisWatch',
    intendedPurpose: 'Early warning of sepsis on adult wards.',
    riskClass: 'uk-mdr-class-iia',
    manufacturerSafetyOfficer: 'psn_acmecso00001',
    actor: vendorAdmin,
    ...o,
  }),
  release: (o: Partial<CommandOf<'ReleaseVersion'>> = {}): ModelCommand => ({
    kind: 'ReleaseVersion',
    occurredAt: REQUESTED_AT,
    modelId,
    versionId,
    version: '2.1.0',
    artifactDigest: `sha256:${'a'.repeat(64)}`,
    intendedUse: 'Adult wards.',
    ...sepsisWatchPopulation,
    knownLimitations: ['Beta blockers lower sensitivity'],
    evidenceRefs: ['doi:10.1000/x'],
    actor: vendorAdmin,
    ...o,
  }),
  notice: (o: Partial<CommandOf<'IssueSafetyNotice'>> = {}): ModelCommand => ({
    kind: 'IssueSafetyNotice',
    occurredAt: REQUESTED_AT,
    modelId,
    noticeId,
    affectedVersionIds: [versionId],
    severity: 'high',
    summary: 'Under-triage in patients on beta blockers.',
    requiredAction: 'Review every low score for patients on beta blockers.',
    actor: vendorAdmin,
    ...o,
  }),
  resolve: (o: Partial<CommandOf<'ResolveSafetyNotice'>> = {}): ModelCommand => ({
    kind: 'ResolveSafetyNotice',
    occurredAt: REQUESTED_AT,
    modelId,
    noticeId,
    resolution: 'Fixed in 2.2.0; 2.1.0 withdrawn.',
    actor: vendorAdmin,
    ...o,
  }),
  withdraw: (o: Partial<CommandOf<'WithdrawVersion'>> = {}): ModelCommand => ({
    kind: 'WithdrawVersion',
    occurredAt: REQUESTED_AT,
    modelId,
    versionId,
    reason: 'Superseded by 2.2.0 after the safety notice.',
    effectiveAt: '2026-12-01T00:00:00.000Z',
    actor: vendorAdmin,
    ...o,
  }),
};

/** The event a command is expected to decide: its own fields, without `kind` and `occurredAt`, plus the vendor. */
function eventFor(cmd: ModelCommand, name: ModelEvent['name'], vendorId = 'acme-ai'): ModelEvent {
  const { kind: _kind, occurredAt: _occurredAt, ...data } = cmd;
  return { name, data: { ...data, vendorId } } as ModelEvent;
}

const event = {
  registered: eventFor(command.register(), 'model.registered'),
  released: eventFor(command.release(), 'model.version.released'),
  secondReleased: eventFor(command.release({ versionId: secondVersionId, version: '2.2.0' }), 'model.version.released'),
  noticeIssued: eventFor(command.notice(), 'model.safety-notice.issued'),
  noticeResolved: eventFor(command.resolve(), 'model.safety-notice.resolved'),
  withdrawn: eventFor(command.withdraw(), 'model.version.withdrawn'),
};

const { given } = deciderSpec(modelDecider);

// ---- the model aggregate -----------------------------------------------------------------------

describe('model decider', () => {
  it('given nothing, then the model is unregistered', () => {
    expect(modelDecider.initialState).toEqual({ status: 'unregistered' });
  });

  describe('RegisterModel', () => {
    it('given an unregistered model, when registered, then the caller’s organisation becomes its vendor', () => {
      const { state } = given().when(command.register()).then([event.registered]);
      expect(state).toEqual({ status: 'registered', modelId, vendorId: 'acme-ai', name: 'SepsisWatch', versions: {}, notices: {} });
    });

    it('given a caller from another organisation, when registering, then that organisation is the vendor (never taken from the request body)', () => {
      expect(
        given()
          .when(command.register({ actor: otherVendor }))
          .decided().events[0]!.data,
      ).toMatchObject({ vendorId: 'rival-ai', actor: otherVendor });
    });

    it('given a registered model, when registered again, then it is refused as already registered', () => {
      expect(given(event.registered).when(command.register()).thenRefuses('MODEL.ALREADY_REGISTERED')).toMatchObject({
        kind: 'conflict',
        context: { modelId },
      });
    });

    it('given a registered model, when another vendor registers the same id, then it is still already registered', () => {
      given(event.registered)
        .when(command.register({ actor: otherVendor }))
        .thenRefuses('MODEL.ALREADY_REGISTERED');
    });
  });

  describe('ReleaseVersion', () => {
    it('given a registered model, when a version is released by its vendor, then the version is recorded as released', () => {
      const { state } = given(event.registered).when(command.release()).then([event.released]);
      expect(state).toMatchObject({
        versions: { [versionId]: { versionId, version: '2.1.0', artifactDigest: `sha256:${'a'.repeat(64)}`, status: 'released' } },
      });
    });

    it('given a released version, when another semver is released under a new id, then both versions are kept', () => {
      const { state } = given(event.registered, event.released)
        .when(command.release({ versionId: secondVersionId, version: '2.2.0' }))
        .decided();
      expect(state.status === 'registered' && Object.keys(state.versions).sort()).toEqual([secondVersionId, versionId].sort());
    });

    it('given an unregistered model, when a version is released, then it is refused as not found', () => {
      expect(given().when(command.release()).thenRefuses('MODEL.NOT_FOUND')).toMatchObject({ kind: 'not-found', context: { modelId } });
    });

    it('given a model of another organisation, when a version is released, then it is refused as not the owner', () => {
      const error = given(event.registered)
        .when(command.release({ actor: otherVendor }))
        .thenRefuses('MODEL.NOT_OWNER');
      expect(error).toMatchObject({ kind: 'forbidden', context: { modelId } });
      expect(error.detail).toContain('rival-ai');
    });

    it('given a released semver, when the same semver is released under a new id, then it is refused (released versions never change)', () => {
      const error = given(event.registered, event.released)
        .when(command.release({ versionId: secondVersionId, artifactDigest: `sha256:${'b'.repeat(64)}` }))
        .thenRefuses('MODEL.VERSION_EXISTS');
      expect(error).toMatchObject({ kind: 'conflict', context: { version: '2.1.0' } });
    });

    it('given a withdrawn semver, when the same semver is released again, then it is still refused', () => {
      given(event.registered, event.released, event.withdrawn)
        .when(command.release({ versionId: secondVersionId }))
        .thenRefuses('MODEL.VERSION_EXISTS');
    });

    it('given two contraindications with one code, when released, then it is refused pointing at the second', () => {
      const twice = [
        { code: 'acme:under-18', text: 'Patients under 18' },
        { code: 'acme:pregnancy', text: 'Pregnancy' },
        { code: 'acme:under-18', text: 'Children' },
      ];
      const error = given(event.registered)
        .when(command.release({ contraindications: twice }))
        .thenRefuses('MODEL.REPEATED_CONTRAINDICATION_CODE');
      expect(error).toMatchObject({
        kind: 'rule-violated',
        context: { code: 'acme:under-18', errors: [{ pointer: '/contraindications/2/code', rule: 'unique-code' }] },
      });
    });

    it('given a version id in use, when released with another semver, then it is refused as a duplicate id', () => {
      const error = given(event.registered, event.released)
        .when(command.release({ version: '9.9.9' }))
        .thenRefuses('MODEL.VERSION_ID_EXISTS');
      expect(error).toMatchObject({ kind: 'conflict', context: { versionId } });
    });
  });

  describe('IssueSafetyNotice', () => {
    it('given a released version, when its vendor issues a notice, then the notice is recorded against it', () => {
      const { state } = given(event.registered, event.released).when(command.notice()).then([event.noticeIssued]);
      expect(state).toMatchObject({
        notices: { [noticeId]: { noticeId, severity: 'high', affectedVersionIds: [versionId], resolved: false } },
      });
    });

    it('given a notice naming a version the model does not have, when issued, then it is refused naming that version', () => {
      const error = given(event.registered, event.released)
        .when(command.notice({ affectedVersionIds: [versionId, unknownVersionId] }))
        .thenRefuses('MODEL.UNKNOWN_VERSION');
      expect(error).toMatchObject({ kind: 'rule-violated', context: { versionId: unknownVersionId } });
    });

    it('given an existing notice id, when issued again, then it is refused', () => {
      given(event.registered, event.released, event.noticeIssued).when(command.notice()).thenRefuses('MODEL.NOTICE_EXISTS');
    });

    it('given a model of another organisation, when a notice is issued, then it is refused as not the owner', () => {
      given(event.registered, event.released)
        .when(command.notice({ actor: otherVendor }))
        .thenRefuses('MODEL.NOT_OWNER');
    });

    it('given an unregistered model, when a notice is issued, then it is refused as not found', () => {
      given().when(command.notice()).thenRefuses('MODEL.NOT_FOUND');
    });
  });

  describe('ResolveSafetyNotice', () => {
    it('given an open notice, when its vendor resolves it, then the notice is recorded as resolved', () => {
      const { state } = given(event.registered, event.released, event.noticeIssued).when(command.resolve()).then([event.noticeResolved]);
      expect(state).toMatchObject({
        notices: { [noticeId]: { noticeId, severity: 'high', affectedVersionIds: [versionId], resolved: true } },
      });
    });

    it('given a notice the model never issued, when resolved, then it is refused as not found naming it', () => {
      expect(given(event.registered, event.released).when(command.resolve()).thenRefuses('MODEL.NOTICE_NOT_FOUND')).toMatchObject({
        kind: 'not-found',
        context: { noticeId },
      });
    });

    it('given a resolved notice, when resolved again, then it is refused', () => {
      expect(
        given(event.registered, event.released, event.noticeIssued, event.noticeResolved)
          .when(command.resolve())
          .thenRefuses('MODEL.NOTICE_ALREADY_RESOLVED'),
      ).toMatchObject({
        kind: 'conflict',
        context: { noticeId },
      });
    });

    it('given a model of another organisation, when a notice is resolved, then it is refused as not the owner', () => {
      given(event.registered, event.released, event.noticeIssued)
        .when(command.resolve({ actor: otherVendor }))
        .thenRefuses('MODEL.NOT_OWNER');
    });

    it('given an unregistered model, when a notice is resolved, then it is refused as not found', () => {
      given().when(command.resolve()).thenRefuses('MODEL.NOT_FOUND');
    });
  });

  describe('WithdrawVersion', () => {
    it('given a released version, when withdrawn, then its status becomes withdrawn and other versions stay released', () => {
      const { state } = given(event.registered, event.released, event.secondReleased).when(command.withdraw()).then([event.withdrawn]);
      expect(state).toMatchObject({
        versions: { [versionId]: { status: 'withdrawn', version: '2.1.0' }, [secondVersionId]: { status: 'released', version: '2.2.0' } },
      });
    });

    it('given an unknown version, when withdrawn, then it is refused naming it', () => {
      expect(
        given(event.registered, event.released)
          .when(command.withdraw({ versionId: unknownVersionId }))
          .thenRefuses('MODEL.UNKNOWN_VERSION'),
      ).toMatchObject({
        context: { versionId: unknownVersionId },
      });
    });

    it('given a withdrawn version, when withdrawn again, then it is refused', () => {
      expect(
        given(event.registered, event.released, event.withdrawn).when(command.withdraw()).thenRefuses('MODEL.VERSION_ALREADY_WITHDRAWN'),
      ).toMatchObject({
        kind: 'conflict',
        context: { versionId },
      });
    });

    it('given a model of another organisation, when a version is withdrawn, then it is refused as not the owner', () => {
      given(event.registered, event.released)
        .when(command.withdraw({ actor: otherVendor }))
        .thenRefuses('MODEL.NOT_OWNER');
    });

    it('given an unregistered model, when a version is withdrawn, then it is refused as not found', () => {
      given().when(command.withdraw()).thenRefuses('MODEL.NOT_FOUND');
    });
  });

  describe('evolve', () => {
    it('given the whole history, when folded, then the state holds the model, both versions, the notice and the withdrawal', () => {
      expect(given(event.registered, event.released, event.secondReleased, event.noticeIssued, event.withdrawn).state).toEqual({
        status: 'registered',
        modelId,
        vendorId: 'acme-ai',
        name: 'SepsisWatch',
        versions: {
          [versionId]: { versionId, version: '2.1.0', artifactDigest: `sha256:${'a'.repeat(64)}`, status: 'withdrawn' },
          [secondVersionId]: {
            versionId: secondVersionId,
            version: '2.2.0',
            artifactDigest: `sha256:${'a'.repeat(64)}`,
            status: 'released',
          },
        },
        notices: { [noticeId]: { noticeId, severity: 'high', affectedVersionIds: [versionId], resolved: false } },
      });
    });

    it('given a resolution of a notice never issued, when folded, then the state is unchanged', () => {
      const { state } = given(event.registered, event.released);
      expect(modelDecider.evolve(state, event.noticeResolved)).toBe(state);
    });

    it('given an unregistered model, when a later event arrives out of order, then the state is unchanged', () => {
      for (const e of [event.released, event.noticeIssued, event.noticeResolved, event.withdrawn])
        expect(given(e).state).toEqual({ status: 'unregistered' });
    });

    it('given a withdrawal of a version never released, when folded, then the state is unchanged', () => {
      const { state } = given(event.registered);
      expect(modelDecider.evolve(state, event.withdrawn)).toBe(state);
    });

    it('given a state, when an event is folded, then the earlier state is not mutated', () => {
      const { state: before } = given(event.registered, event.released);
      const snapshot = JSON.parse(JSON.stringify(before));
      modelDecider.evolve(before, event.withdrawn);
      expect(before).toEqual(snapshot);
    });
  });
});

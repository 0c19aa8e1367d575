import { assertNever, type Decider } from '@aal/domain';
import { modelErrors } from './model.errors';
import type { ModelCommand, ModelEvent, ModelState } from './model.types';

type Registered = Extract<ModelState, { status: 'registered' }>;

function registered(state: ModelState, modelId: string, organisationId: string): Registered {
  if (state.status !== 'registered') throw modelErrors.notRegistered(modelId);
  if (state.vendorId !== organisationId) throw modelErrors.notOwner(modelId, organisationId);
  return state;
}

/** One code, one contraindication: a second entry with the same code would make the wording ambiguous. */
function refuseRepeatedCodes(contraindications: ReadonlyArray<{ readonly code: string }>): void {
  const seen = new Map<string, number>();
  contraindications.forEach(({ code }, i) => {
    const first = seen.get(code);
    if (first !== undefined) throw modelErrors.repeatedContraindicationCode(code, first, i);
    seen.set(code, i);
  });
}

/**
 * A vendor's model: registration, released versions (immutable once released), safety notices
 * (issued, then resolved at most once) and withdrawals. Only the registering vendor's organisation may change it.
 */
export const modelDecider: Decider<ModelCommand, ModelState, ModelEvent> = {
  initialState: { status: 'unregistered' },

  decide(command, state) {
    switch (command.kind) {
      case 'RegisterModel': {
        if (state.status === 'registered') throw modelErrors.alreadyRegistered(command.modelId);
        const { kind: _k, occurredAt: _t, ...rest } = command;
        return [{ name: 'model.registered', data: { ...rest, vendorId: command.actor.organisationId } }];
      }
      case 'ReleaseVersion': {
        const model = registered(state, command.modelId, command.actor.organisationId);
        if (model.versions[command.versionId]) throw modelErrors.versionIdExists(command.versionId);
        if (Object.values(model.versions).some((v) => v.version === command.version)) throw modelErrors.versionExists(command.version);
        refuseRepeatedCodes(command.contraindications);
        const { kind: _k, occurredAt: _t, ...rest } = command;
        return [{ name: 'model.version.released', data: { ...rest, vendorId: model.vendorId } }];
      }
      case 'IssueSafetyNotice': {
        const model = registered(state, command.modelId, command.actor.organisationId);
        if (model.notices[command.noticeId]) throw modelErrors.noticeExists(command.noticeId);
        const unknown = command.affectedVersionIds.find((id) => !model.versions[id]);
        if (unknown) throw modelErrors.unknownVersion(unknown);
        const { kind: _k, occurredAt: _t, ...rest } = command;
        return [{ name: 'model.safety-notice.issued', data: { ...rest, vendorId: model.vendorId } }];
      }
      case 'ResolveSafetyNotice': {
        const model = registered(state, command.modelId, command.actor.organisationId);
        const notice = model.notices[command.noticeId];
        if (!notice) throw modelErrors.noticeNotFound(command.noticeId);
        if (notice.resolved) throw modelErrors.noticeAlreadyResolved(command.noticeId);
        const { kind: _k, occurredAt: _t, ...rest } = command;
        return [{ name: 'model.safety-notice.resolved', data: { ...rest, vendorId: model.vendorId } }];
      }
      case 'WithdrawVersion': {
        const model = registered(state, command.modelId, command.actor.organisationId);
        const version = model.versions[command.versionId];
        if (!version) throw modelErrors.unknownVersion(command.versionId);
        if (version.status === 'withdrawn') throw modelErrors.alreadyWithdrawn(command.versionId);
        const { kind: _k, occurredAt: _t, ...rest } = command;
        return [{ name: 'model.version.withdrawn', data: { ...rest, vendorId: model.vendorId } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.name) {
      case 'model.registered':
        return {
          status: 'registered',
          modelId: event.data.modelId,
          vendorId: event.data.vendorId,
          name: event.data.name,
          versions: {},
          notices: {},
        };
      case 'model.version.released': {
        if (state.status !== 'registered') return state;
        const { versionId, version, artifactDigest } = event.data;
        return { ...state, versions: { ...state.versions, [versionId]: { versionId, version, artifactDigest, status: 'released' } } };
      }
      case 'model.safety-notice.issued': {
        if (state.status !== 'registered') return state;
        const { noticeId, severity, affectedVersionIds } = event.data;
        return { ...state, notices: { ...state.notices, [noticeId]: { noticeId, severity, affectedVersionIds, resolved: false } } };
      }
      case 'model.safety-notice.resolved': {
        if (state.status !== 'registered') return state;
        const current = state.notices[event.data.noticeId];
        if (!current) return state;
        return { ...state, notices: { ...state.notices, [current.noticeId]: { ...current, resolved: true } } };
      }
      case 'model.version.withdrawn': {
        if (state.status !== 'registered') return state;
        const current = state.versions[event.data.versionId];
        if (!current) return state;
        return { ...state, versions: { ...state.versions, [current.versionId]: { ...current, status: 'withdrawn' } } };
      }
      default:
        return assertNever(event);
    }
  },
};

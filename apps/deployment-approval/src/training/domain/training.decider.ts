import { assertNever, type Decider } from '@aal/domain';
import { trainingErrors } from './training.errors';
import type { TrainingCommand, TrainingEvent, TrainingState } from './training.types';

/**
 * A professional's completed training for one deployment, recorded by that deployment's employer.
 * Records never change; a refresher course is a new record.
 */
export const trainingDecider: Decider<TrainingCommand, TrainingState, TrainingEvent> = {
  initialState: { status: 'none' },

  decide(command, state) {
    switch (command.kind) {
      case 'RecordTraining': {
        if (state.status !== 'none') throw trainingErrors.alreadyRecorded(command.trainingId);
        if (!command.deployment) throw trainingErrors.unknownDeployment(command.deploymentId);
        if (command.deployment.employerId !== command.actor.organisationId) {
          throw trainingErrors.foreignDeployment(command.deploymentId, command.actor.organisationId);
        }
        if (command.expiresAt !== undefined && Date.parse(command.completedAt) > Date.parse(command.expiresAt)) {
          throw trainingErrors.expiresBeforeCompletion(command.completedAt, command.expiresAt);
        }
        const { kind: _k, deployment: _d, occurredAt: _t, ...rest } = command;
        return [{ name: 'training.recorded', data: { ...rest, employerId: command.actor.organisationId } }];
      }
      default:
        return assertNever(command.kind);
    }
  },

  evolve(state, event) {
    switch (event.name) {
      case 'training.recorded': {
        if (state.status !== 'none') return state;
        const { actor, ...record } = event.data;
        return { status: 'recorded', ...record, recordedBy: actor };
      }
      default:
        return assertNever(event.name);
    }
  },
};

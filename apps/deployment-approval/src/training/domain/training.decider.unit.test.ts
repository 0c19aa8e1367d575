import { latestDefinition, validateAgainst } from '@aal/contracts';
import { DomainError } from '@aal/domain';
import { trainingDecider } from './training.decider';
import type { TrainingCommand, TrainingEvent, TrainingState } from './training.types';

const manager = { organisationId: 'st-swithins', personId: 'psn_wardmanager01', role: 'ward-manager' };
const outsider = { organisationId: 'other-trust', personId: 'psn_outsider00001', role: 'ward-manager' };
const trainingId = '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b';
const deploymentId = '4b0e7c1e-5f0a-4a39-9a8e-2d8d1f0c6a11';

const record = (o: Partial<TrainingCommand> = {}): TrainingCommand => ({
  kind: 'RecordTraining',
  occurredAt: '2025-02-01T09:00:00.000Z',
  trainingId,
  professionalId: 'psn_staffnurse0001',
  deploymentId,
  course: 'SepsisWatch for ward nurses, module 1',
  completedAt: '2025-01-20T14:00:00.000Z',
  expiresAt: '2026-01-20T14:00:00.000Z',
  actor: manager,
  deployment: { employerId: 'st-swithins' },
  ...o,
});

const recorded: TrainingEvent = {
  name: 'training.recorded',
  data: {
    trainingId,
    employerId: 'st-swithins',
    professionalId: 'psn_staffnurse0001',
    deploymentId,
    course: 'SepsisWatch for ward nurses, module 1',
    completedAt: '2025-01-20T14:00:00.000Z',
    expiresAt: '2026-01-20T14:00:00.000Z',
    actor: manager,
  },
};

const given = (...events: TrainingEvent[]): TrainingState => events.reduce(trainingDecider.evolve, trainingDecider.initialState);

function when(state: TrainingState, command: TrainingCommand): TrainingEvent[] {
  const events = trainingDecider.decide(command, state);
  for (const e of events) expect(validateAgainst(latestDefinition(e.name).schema, e.data)).toEqual([]);
  return events;
}

function refusal(state: TrainingState, command: TrainingCommand): DomainError {
  try {
    trainingDecider.decide(command, state);
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected the command to be refused');
}

describe('training decider', () => {
  it('records training for the employer’s own deployment, with the caller as recorder', () => {
    const events = when(given(), record());
    expect(events).toEqual([recorded]);
    const { actor, ...facts } = recorded.data;
    expect(events.reduce(trainingDecider.evolve, given())).toStrictEqual({ status: 'recorded', ...facts, recordedBy: actor });
  });

  it('records training that does not expire', () => {
    const { expiresAt: _e, ...data } = recorded.data;
    expect(when(given(), record({ expiresAt: undefined }))).toEqual([{ name: 'training.recorded', data }]);
  });

  it('accepts training that expires the moment it completes', () => {
    expect(when(given(), record({ expiresAt: '2025-01-20T14:00:00.000Z' }))).toHaveLength(1);
  });

  it('refuses training completed after it expires, comparing instants across offsets', () => {
    // 15:00+02:00 is 13:00Z: expiry one hour before the 14:00Z completion.
    const error = refusal(given(), record({ expiresAt: '2025-01-20T15:00:00+02:00' }));
    expect(error).toMatchObject({ code: 'TRAINING.EXPIRES_BEFORE_COMPLETION', kind: 'rule-violated' });
  });

  it('refuses training for a deployment that does not exist', () => {
    expect(refusal(given(), record({ deployment: null }))).toMatchObject({ code: 'TRAINING.UNKNOWN_DEPLOYMENT', kind: 'rule-violated', context: { deploymentId } });
  });

  it('refuses training recorded by an organisation that does not employ the deployment', () => {
    expect(refusal(given(), record({ actor: outsider }))).toMatchObject({ code: 'TRAINING.FOREIGN_DEPLOYMENT', kind: 'forbidden' });
  });

  it('refuses to record the same training twice', () => {
    expect(refusal(given(recorded), record())).toMatchObject({ code: 'TRAINING.ALREADY_RECORDED', kind: 'conflict' });
  });
});

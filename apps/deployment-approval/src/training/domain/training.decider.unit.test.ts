import { deciderSpec } from '@aal/testing/unit';
import { trainingDecider } from './training.decider';
import type { TrainingCommand, TrainingEvent } from './training.types';

const manager = { organisationId: 'st-swithins', personId: 'psn_wardmanager01', role: 'ward-manager' };
const outsider = { organisationId: 'other-trust', personId: 'psn_outsider00001', role: 'ward-manager' };
const trainingId = '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b';
const deploymentId = '4b0e7c1e-5f0a-4a39-9a8e-2d8d1f0c6a11';

/** The training the tests record: what the command states and the event records. */
const training = {
  trainingId,
  professionalId: 'psn_staffnurse0001',
  deploymentId,
  course: 'SepsisWatch for ward nurses, module 1',
  completedAt: '2025-01-20T14:00:00.000Z',
  expiresAt: '2026-01-20T14:00:00.000Z',
};

const record = (o: Partial<TrainingCommand> = {}): TrainingCommand => ({
  kind: 'RecordTraining',
  occurredAt: '2025-02-01T09:00:00.000Z',
  ...training,
  actor: manager,
  deployment: { employerId: 'st-swithins' },
  ...o,
});

const recorded: TrainingEvent = { name: 'training.recorded', data: { ...training, employerId: 'st-swithins', actor: manager } };

const { given } = deciderSpec(trainingDecider);

describe('training decider', () => {
  it('records training for the employer’s own deployment, with the caller as recorder', () => {
    const { state } = given().when(record()).then([recorded]);
    const { actor, ...facts } = recorded.data;
    expect(state).toStrictEqual({ status: 'recorded', ...facts, recordedBy: actor });
  });

  it('records training that does not expire', () => {
    const { expiresAt: _e, ...data } = recorded.data;
    given()
      .when(record({ expiresAt: undefined }))
      .then([{ name: 'training.recorded', data }]);
  });

  it('accepts training that expires the moment it completes', () => {
    expect(
      given()
        .when(record({ expiresAt: '2025-01-20T14:00:00.000Z' }))
        .decided().events,
    ).toHaveLength(1);
  });

  it('refuses training completed after it expires, comparing instants across offsets', () => {
    // 15:00+02:00 is 13:00Z: expiry one hour before the 14:00Z completion.
    const error = given()
      .when(record({ expiresAt: '2025-01-20T15:00:00+02:00' }))
      .thenRefuses('TRAINING.EXPIRES_BEFORE_COMPLETION');
    expect(error).toMatchObject({ kind: 'rule-violated' });
  });

  it('refuses training for a deployment that does not exist', () => {
    expect(
      given()
        .when(record({ deployment: null }))
        .thenRefuses('TRAINING.UNKNOWN_DEPLOYMENT'),
    ).toMatchObject({ kind: 'rule-violated', context: { deploymentId } });
  });

  it('refuses training recorded by an organisation that does not employ the deployment', () => {
    expect(
      given()
        .when(record({ actor: outsider }))
        .thenRefuses('TRAINING.FOREIGN_DEPLOYMENT'),
    ).toMatchObject({ kind: 'forbidden' });
  });

  it('refuses to record the same training twice', () => {
    expect(given(recorded).when(record()).thenRefuses('TRAINING.ALREADY_RECORDED')).toMatchObject({ kind: 'conflict' });
  });
});

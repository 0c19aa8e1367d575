import type { Actor, EventData, TrainingRecordedV1 } from '@aal/contracts';
import type { DomainEvent, Occurred } from '@aal/domain';

export type TrainingEvent = DomainEvent<'training.recorded', EventData<typeof TrainingRecordedV1>>;

/** What the training record needs to know of the deployment it is for; null when there is none. */
export interface DeploymentRef {
  readonly employerId: string;
}

/** `occurredAt` is the request time, which becomes the CloudEvent `time`. */
export type TrainingCommand = { readonly kind: 'RecordTraining'; readonly deployment: DeploymentRef | null } & Omit<
  EventData<typeof TrainingRecordedV1>,
  'employerId'
> &
  Occurred;

export type TrainingState =
  | { readonly status: 'none' }
  | ({ readonly status: 'recorded'; readonly recordedBy: Actor } & Omit<EventData<typeof TrainingRecordedV1>, 'actor'>);

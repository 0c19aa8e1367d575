import type {
  Actor,
  ConcernAbout,
  ConcernAcknowledgedV1,
  ConcernAddressee,
  ConcernAnsweredV1,
  ConcernRaisedV1,
  EventData,
} from '@aal/contracts';
import type { Occurred, OccurredEvent } from '@aal/domain';
import type { DuePolicy } from './due-dates';

type Raised = EventData<typeof ConcernRaisedV1>;
type Answered = EventData<typeof ConcernAnsweredV1>;

export type ConcernEvent =
  | OccurredEvent<'concern.raised', Raised>
  | OccurredEvent<'concern.acknowledged', EventData<typeof ConcernAcknowledgedV1>>
  | OccurredEvent<'concern.answered', Answered>;

/** Who must answer, as asked at intake; resolved to organisation ids from what the concern is about. */
export type AddresseeChoice = 'vendor' | 'employer' | 'both';

/** What the intake named: a version or a deployment, by id. */
export type RequestedAbout =
  | { readonly kind: 'model-version'; readonly versionId: string }
  | { readonly kind: 'deployment'; readonly deploymentId: string };

/**
 * `about` is what this service's directory knows of the requested version or deployment (its
 * model, vendor, employer), or null when it knows none. `occurredAt` is the intake time, from
 * which the due dates run.
 */
export type RaiseConcern = {
  readonly kind: 'RaiseConcern';
  readonly concernId: string;
  readonly requested: RequestedAbout;
  readonly about: ConcernAbout | null;
  readonly addressees: AddresseeChoice;
  readonly duePolicy: DuePolicy;
  readonly actor: Actor;
} & Pick<Raised, 'category' | 'description' | 'severity' | 'raisedBy'> &
  Occurred;

export type AcknowledgeConcern = { readonly kind: 'AcknowledgeConcern'; readonly concernId: string; readonly actor: Actor } & Occurred;

export type AnswerConcern = {
  readonly kind: 'AnswerConcern';
  readonly concernId: string;
  readonly actor: Actor;
} & Pick<Answered, 'answer' | 'reference'> &
  Occurred;

export type ConcernCommand = RaiseConcern | AcknowledgeConcern | AnswerConcern;

/** Where one addressee stands: acknowledged and answered when, and how. */
export type AddresseeState = ConcernAddressee & {
  readonly acknowledgedAt?: string;
  readonly answeredAt?: string;
  readonly answer?: Answered['answer'];
  readonly reference?: string;
};

/** `raised` until every addressee acknowledged, `acknowledged` until every one answered, then `answered`. */
export type ConcernStatus = 'raised' | 'acknowledged' | 'answered';

export type ConcernState =
  | { readonly status: 'none' }
  | ({
      readonly status: ConcernStatus;
      readonly raisedAt: string;
      readonly addressees: readonly AddresseeState[];
      readonly takenInBy: Actor;
    } & Omit<Raised, 'addressees' | 'actor'>);

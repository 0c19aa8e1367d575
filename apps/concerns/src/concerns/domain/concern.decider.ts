import type { ConcernAbout, ConcernAddressee } from '@aal/contracts';
import { assertNever, freeTextIssues, type Decider } from '@aal/domain';
import { concernErrors } from './concern.errors';
import type {
  AddresseeChoice,
  AddresseeState,
  ConcernCommand,
  ConcernEvent,
  ConcernState,
  ConcernStatus,
  RaiseConcern,
} from './concern.types';
import { dueDates } from './due-dates';

/**
 * A concern about a model version or a deployment, taken in by its vendor or employer on behalf of
 * a patient or their representative, a PPI group or a member of staff. Each addressee acknowledges
 * it, then answers it, once. Checks run in order: the request itself, then who may act, then the
 * concern's state.
 */
export const concernDecider: Decider<ConcernCommand, ConcernState, ConcernEvent> = {
  initialState: { status: 'none' },

  decide(command, state) {
    switch (command.kind) {
      case 'RaiseConcern':
        return [raise(command, state)];
      case 'AcknowledgeConcern': {
        const { concern, addressee } = addresseeOf(state, command.concernId, command.actor.organisationId);
        if (addressee.acknowledgedAt !== undefined) throw concernErrors.alreadyAcknowledged(command.concernId, addressee.organisationId);
        return [
          {
            name: 'concern.acknowledged',
            occurredAt: command.occurredAt,
            data: { concernId: command.concernId, about: concern.about, addressee: addresseeRef(addressee), actor: command.actor },
          },
        ];
      }
      case 'AnswerConcern': {
        assertNoIdentifiers({ '/reference': command.reference });
        const { concern, addressee } = addresseeOf(state, command.concernId, command.actor.organisationId);
        if (addressee.acknowledgedAt === undefined) throw concernErrors.notYetAcknowledged(command.concernId, addressee.organisationId);
        if (addressee.answeredAt !== undefined) throw concernErrors.alreadyAnswered(command.concernId, addressee.organisationId);
        return [
          {
            name: 'concern.answered',
            occurredAt: command.occurredAt,
            data: {
              concernId: command.concernId,
              about: concern.about,
              addressee: addresseeRef(addressee),
              answer: command.answer,
              reference: command.reference,
              actor: command.actor,
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.name) {
      case 'concern.raised': {
        if (state.status !== 'none') return state;
        const { actor, addressees, ...facts } = event.data;
        return { status: 'raised', ...facts, raisedAt: event.occurredAt, addressees, takenInBy: actor };
      }
      case 'concern.acknowledged':
        return updateAddressee(state, event.data.addressee.organisationId, { acknowledgedAt: event.occurredAt });
      case 'concern.answered':
        return updateAddressee(state, event.data.addressee.organisationId, {
          answeredAt: event.occurredAt,
          answer: event.data.answer,
          reference: event.data.reference,
        });
      default:
        return assertNever(event);
    }
  },
};

function assertNoIdentifiers(fields: Record<string, string>): void {
  const issues = freeTextIssues(fields);
  if (issues.length > 0) throw concernErrors.identifierInText(issues);
}

function raise(command: RaiseConcern, state: ConcernState): ConcernEvent {
  assertNoIdentifiers({ '/description': command.description });
  const about = command.about;
  if (!about) {
    throw command.requested.kind === 'deployment'
      ? concernErrors.unknownDeployment(command.requested.deploymentId)
      : concernErrors.unknownVersion(command.requested.versionId);
  }
  if (about.kind === 'model-version' && command.addressees !== 'vendor') throw concernErrors.noEmployerForVersion();
  const intake = command.actor.organisationId;
  if (intake !== about.vendorId && !(about.kind === 'deployment' && intake === about.employerId))
    throw concernErrors.intakeNotAParty(intake);
  if (state.status !== 'none') throw concernErrors.alreadyRaised(command.concernId);
  return {
    name: 'concern.raised',
    occurredAt: command.occurredAt,
    data: {
      concernId: command.concernId,
      intakeOrganisationId: intake,
      about,
      category: command.category,
      description: command.description,
      severity: command.severity,
      raisedBy: command.raisedBy,
      addressees: resolveAddressees(about, command.addressees),
      ...dueDates(command.duePolicy, command.severity, command.occurredAt),
      actor: command.actor,
    },
  };
}

/**
 * The organisations that must answer: the vendor of the version, the employer of the deployment,
 * or both; once each (a vendor deploying its own tool is asked once, as vendor).
 */
export function resolveAddressees(about: ConcernAbout, choice: AddresseeChoice): ConcernAddressee[] {
  const wanted: ConcernAddressee[] = [];
  if (choice !== 'employer') wanted.push({ party: 'vendor', organisationId: about.vendorId });
  if (choice !== 'vendor' && about.kind === 'deployment') wanted.push({ party: 'employer', organisationId: about.employerId });
  return wanted.filter((a, i) => wanted.findIndex((b) => b.organisationId === a.organisationId) === i);
}

function addresseeOf(state: ConcernState, concernId: string, organisationId: string) {
  if (state.status === 'none') throw concernErrors.notFound(concernId);
  const addressee = state.addressees.find((a) => a.organisationId === organisationId);
  if (!addressee) throw concernErrors.notAnAddressee(concernId, organisationId);
  return { concern: state, addressee };
}

const addresseeRef = (a: AddresseeState): ConcernAddressee => ({ party: a.party, organisationId: a.organisationId });

function updateAddressee(state: ConcernState, organisationId: string, change: Partial<AddresseeState>): ConcernState {
  if (state.status === 'none') return state;
  const addressees = state.addressees.map((a) => (a.organisationId === organisationId ? { ...a, ...change } : a));
  return { ...state, addressees, status: statusOf(addressees) };
}

/** The concern's status follows from where every addressee stands. */
export function statusOf(addressees: readonly AddresseeState[]): ConcernStatus {
  if (addressees.every((a) => a.answeredAt !== undefined)) return 'answered';
  if (addressees.every((a) => a.acknowledgedAt !== undefined)) return 'acknowledged';
  return 'raised';
}

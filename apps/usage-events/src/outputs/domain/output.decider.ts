import type { OutputAction, OutputPopulation } from '@aal/contracts';
import { assertNever, type Decider } from '@aal/domain';
import { instructionGiven, instructionRecord } from '../../instructions/domain/instruction-given';
import { assertNotInFuture, instant } from '../../usage/domain/occurred-at.rule';
import { assertPseudonymous } from '../../usage/domain/pseudonym.rule';
import { assertOwnDeployment } from './deployment-ownership.rule';
import { outputErrors } from './output.errors';
import type {
  ActionRecord,
  OutputCommand,
  OutputEvent,
  OutputState,
  PresentationRecord,
  RecordAction,
  RecordOutput,
  RecordPresentation,
} from './output.types';

type Generated = Extract<OutputState, { status: 'generated' }>;

/** Actions that depart from, or pass on, the output: the professional must say why. */
const RATIONALE_REQUIRED: ReadonlySet<OutputAction> = new Set(['modified', 'overridden', 'escalated']);

/** What a re-post must repeat exactly to be a retry of the same report rather than a conflict. */
const GENERATION_FACTS = [
  'organisationId',
  'deploymentId',
  'modelId',
  'versionId',
  'subjectRef',
  'outputDigest',
  'site',
  'service',
  'summary',
] as const;

/** The population facts compared as a set: the same codes in another order are the same report. */
const populationKey = (p: OutputPopulation | undefined) =>
  p === undefined ? '' : JSON.stringify([p.ageBand ?? null, p.contraindicationCodes ? [...p.contraindicationCodes].sort() : null]);

function differingFacts(output: Generated, command: RecordOutput): string[] {
  const differing: string[] = GENERATION_FACTS.filter((field) => output[field] !== command.facts[field]);
  if (populationKey(output.population) !== populationKey(command.facts.population)) differing.push('population');
  if (instant(output.generatedAt) !== instant(command.occurredAt)) differing.push('occurredAt');
  return differing;
}

/** The generated output, provided the reporting organisation is the one that recorded it. */
function ownOutput(state: OutputState, facts: { outputId: string; organisationId: string }): Generated {
  if (state.status !== 'generated') throw outputErrors.notFound(facts.outputId);
  if (state.organisationId !== facts.organisationId) throw outputErrors.notOwner(facts.outputId, facts.organisationId);
  return state;
}

function assertNotBeforeGeneration(output: Generated, occurredAt: string): void {
  if (instant(occurredAt) < instant(output.generatedAt))
    throw outputErrors.beforeGeneration(output.outputId, occurredAt, output.generatedAt);
}

const sameProfessional = (a: PresentationRecord['professional'], b: PresentationRecord['professional']) =>
  a.personId === b.personId && a.role === b.role;

const samePresentation = (p: PresentationRecord, c: RecordPresentation) =>
  sameProfessional(p.professional, c.facts.professional) && p.site === c.facts.site && instant(p.occurredAt) === instant(c.occurredAt);

const sameAction = (a: ActionRecord, c: RecordAction) =>
  sameProfessional(a.professional, c.facts.professional) &&
  a.action === c.facts.action &&
  a.rationale === c.facts.rationale &&
  a.reviewDurationSeconds === c.facts.reviewDurationSeconds &&
  instant(a.occurredAt) === instant(c.occurredAt);

/**
 * One AI output as the clinical system reported it: its generation, then who saw it, what they
 * did with it and who instructed them. An organisation reports outputs only of its own deployments,
 * only the organisation that reported the output may add to it, and nothing can happen to it
 * before it was generated. Checks of the request alone come
 * first, then access, then rules that depend on the recorded output. A report repeated exactly
 * (a retry) decides no events; the same output id with different facts is a conflict.
 */
export const outputDecider: Decider<OutputCommand, OutputState, OutputEvent> = {
  initialState: { status: 'unrecorded' },

  decide(command, state) {
    switch (command.kind) {
      case 'RecordOutput': {
        assertPseudonymous({ '/subjectRef': command.facts.subjectRef });
        assertNotInFuture(command);
        assertOwnDeployment(command.facts, command.deployment);
        if (state.status === 'generated') {
          // Ownership before comparison: another organisation learns nothing about the record.
          if (state.organisationId !== command.facts.organisationId) throw outputErrors.idInUse(command.facts.outputId);
          const differing = differingFacts(state, command);
          if (differing.length > 0) throw outputErrors.alreadyRecorded(command.facts.outputId, differing);
          return [];
        }
        return [{ name: 'output.generated', data: command.facts, occurredAt: command.occurredAt }];
      }
      case 'RecordPresentation': {
        assertPseudonymous({ '/professional/personId': command.facts.professional.personId });
        assertNotInFuture(command);
        const output = ownOutput(state, command.facts);
        assertNotBeforeGeneration(output, command.occurredAt);
        if (output.presentations.some((p) => samePresentation(p, command))) return [];
        return [{ name: 'output.presented', data: command.facts, occurredAt: command.occurredAt }];
      }
      case 'RecordAction': {
        assertPseudonymous({ '/professional/personId': command.facts.professional.personId });
        assertNotInFuture(command);
        if (RATIONALE_REQUIRED.has(command.facts.action) && !command.facts.rationale?.trim()) {
          throw outputErrors.rationaleRequired(command.facts.outputId, command.facts.action);
        }
        const output = ownOutput(state, command.facts);
        assertNotBeforeGeneration(output, command.occurredAt);
        if (output.actions.some((a) => sameAction(a, command))) return [];
        return [{ name: 'output.acted-on', data: command.facts, occurredAt: command.occurredAt }];
      }
      case 'GiveInstruction': {
        const event = instructionGiven(command);
        assertNotBeforeGeneration(ownOutput(state, command.facts), command.occurredAt);
        return [event];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.name) {
      case 'output.generated': {
        const d = event.data;
        return {
          status: 'generated',
          outputId: d.outputId,
          organisationId: d.organisationId,
          deploymentId: d.deploymentId,
          modelId: d.modelId,
          versionId: d.versionId,
          subjectRef: d.subjectRef,
          outputDigest: d.outputDigest,
          site: d.site,
          ...(d.service !== undefined ? { service: d.service } : {}),
          ...(d.population !== undefined ? { population: d.population } : {}),
          ...(d.summary !== undefined ? { summary: d.summary } : {}),
          generatedAt: event.occurredAt,
          presentations: [],
          actions: [],
          instructions: [],
        };
      }
      case 'output.presented': {
        if (state.status !== 'generated') return state;
        const { professional, site } = event.data;
        return { ...state, presentations: [...state.presentations, { professional, site, occurredAt: event.occurredAt }] };
      }
      case 'output.acted-on': {
        if (state.status !== 'generated') return state;
        const { professional, action, rationale, reviewDurationSeconds } = event.data;
        const record: ActionRecord = {
          professional,
          action,
          ...(rationale !== undefined ? { rationale } : {}),
          reviewDurationSeconds,
          occurredAt: event.occurredAt,
        };
        return { ...state, actions: [...state.actions, record] };
      }
      case 'instruction.given': {
        if (state.status !== 'generated') return state;
        return { ...state, instructions: [...state.instructions, instructionRecord(event)] };
      }
      default:
        return assertNever(event);
    }
  },
};

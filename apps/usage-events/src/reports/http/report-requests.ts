import { OutputGeneratedV1 } from '@aal/contracts';
import type { Caller } from '@aal/http';
import type { Clock } from '@aal/service-kit';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { ReportIncidentRequest } from '../../incidents/http/incident.requests';
import { GiveInstructionRequest } from '../../instructions/http/instruction.requests';
import { RecordActionRequest, RecordOutputRequest, RecordPresentationRequest } from '../../outputs/http/output.requests';
import { INCIDENT_AGGREGATE, INSTRUCTION_AGGREGATE, OUTPUT_AGGREGATE, type Report } from '../domain/report';
import { strict } from '../../usage/http/usage.requests';

/** A report named by the event it records, as batches (and FHIR mappings) name it. */
export const REPORT_KINDS = ['output.generated', 'output.presented', 'output.acted-on', 'instruction.given', 'incident.reported'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

const WithOutputId = Type.Object({ outputId: OutputGeneratedV1.schema.properties.outputId });

/** Presentation and action bodies name their output in the body, where the single endpoints have it in the path. */
export const PresentationReportRequest = Type.Composite([WithOutputId, RecordPresentationRequest], strict);
export const ActionReportRequest = Type.Composite([WithOutputId, RecordActionRequest], strict);

/** The body schema of each kind: exactly the single endpoint's body (plus outputId where it is in the path). */
export const REPORT_BODIES = {
  'output.generated': RecordOutputRequest,
  'output.presented': PresentationReportRequest,
  'output.acted-on': ActionReportRequest,
  'instruction.given': GiveInstructionRequest,
  'incident.reported': ReportIncidentRequest,
} as const satisfies Record<ReportKind, TSchema>;

export type ReportBody<K extends ReportKind> = Static<(typeof REPORT_BODIES)[K]>;

/** What the server adds to a report: who sent it, when it arrived, and ids it assigns. */
export interface ReportContext {
  readonly caller: Caller;
  readonly receivedAt: string;
  readonly newId: () => string;
}

/** The context of a request arriving now: `receivedAt` is this service's clock, ids are random UUIDs. */
export function reportContext(caller: Caller, clock: Clock): ReportContext {
  return { caller, receivedAt: clock.now().toISOString(), newId: randomUUID };
}

/**
 * The report a validated body makes: the one mapping from requests to commands, used by every
 * route (single endpoints, batches, FHIR). The actor and organisation are always the caller's,
 * never the body's; an instruction naming an output goes to that output's aggregate. The facts
 * become the event data as written (key order included): presentations, actions and incidents
 * list them in their event schema's order, a generation in its body's order.
 */
export function reportFor<K extends ReportKind>(kind: K, body: ReportBody<K>, ctx: ReportContext): Report {
  const { caller, receivedAt } = ctx;
  const who = { organisationId: caller.organisationId, actor: caller };
  switch (kind) {
    case 'output.generated': {
      const { occurredAt, ...facts } = body as ReportBody<'output.generated'>;
      return { aggregate: OUTPUT_AGGREGATE, command: { kind: 'RecordOutput', facts: { ...facts, ...who }, occurredAt, receivedAt } };
    }
    case 'output.presented': {
      const { occurredAt, outputId, ...facts } = body as ReportBody<'output.presented'>;
      const presented = { outputId, organisationId: caller.organisationId, ...facts, actor: caller };
      return { aggregate: OUTPUT_AGGREGATE, command: { kind: 'RecordPresentation', facts: presented, occurredAt, receivedAt } };
    }
    case 'output.acted-on': {
      const { occurredAt, outputId, ...facts } = body as ReportBody<'output.acted-on'>;
      const actedOn = { outputId, organisationId: caller.organisationId, ...facts, actor: caller };
      return { aggregate: OUTPUT_AGGREGATE, command: { kind: 'RecordAction', facts: actedOn, occurredAt, receivedAt } };
    }
    case 'instruction.given': {
      const { occurredAt, outputId, ...facts } = body as ReportBody<'instruction.given'>;
      const common = { instructionId: ctx.newId(), organisationId: caller.organisationId, ...facts, actor: caller };
      // An instruction naming an output is part of that output's story (its subject is the
      // output), so the output's aggregate records it, in order with the output's other events.
      return outputId
        ? { aggregate: OUTPUT_AGGREGATE, command: { kind: 'GiveInstruction', facts: { ...common, outputId }, occurredAt, receivedAt } }
        : { aggregate: INSTRUCTION_AGGREGATE, command: { kind: 'GiveInstruction', facts: common, occurredAt, receivedAt } };
    }
    case 'incident.reported': {
      const { occurredAt, ...facts } = body as ReportBody<'incident.reported'>;
      return {
        aggregate: INCIDENT_AGGREGATE,
        command: {
          kind: 'ReportIncident',
          facts: { incidentId: ctx.newId(), organisationId: caller.organisationId, ...facts, actor: caller },
          occurredAt,
          receivedAt,
        },
      };
    }
    default:
      throw new Error(`unknown report kind ${String(kind)}`);
  }
}

import type { Actor, EventData, InstructionGivenV1, Professional } from '@aal/contracts';
import type { OccurredEvent } from '@aal/domain';
import type { ReportCommand } from '../../usage/domain/occurrence';

/** The aggregate type of instructions about a case alone (`aggregates.aggregate_type`), and their CloudEvent subject prefix. */
export const INSTRUCTION_AGGREGATE = 'instruction';

export type InstructionFacts = EventData<typeof InstructionGivenV1>;
export type InstructionGivenEvent = OccurredEvent<'instruction.given', InstructionFacts>;
export type GiveInstruction<F extends InstructionFacts = InstructionFacts> = ReportCommand<'GiveInstruction', F>;

/**
 * An instruction about a case alone. One about an output names that output as its subject, so
 * the output's aggregate decides and records it (see output.decider.ts).
 */
export type InstructionCommand = GiveInstruction<InstructionFacts & { readonly outputId?: undefined }>;
export type InstructionEvent = InstructionGivenEvent;

/** An instruction as the API shows it, wherever it is recorded. */
export interface InstructionRecord {
  readonly instructionId: string;
  readonly organisationId: string;
  readonly instructor: Professional;
  readonly professionalId: string;
  readonly kind: InstructionFacts['kind'];
  readonly outputId?: string;
  readonly caseRef?: string;
  readonly note?: string;
  readonly occurredAt: string;
  /** Who reported the instruction (the caller), as opposed to the instructor. */
  readonly givenBy: Actor;
}

export type InstructionState = { readonly status: 'none' } | ({ readonly status: 'given' } & InstructionRecord);

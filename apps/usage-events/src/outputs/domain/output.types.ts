import type {
  EventData,
  OutputAction,
  OutputActedOnV1,
  OutputGeneratedV2,
  OutputPopulation,
  OutputPresentedV1,
  Professional,
} from '@aal/contracts';
import type { OccurredEvent } from '@aal/domain';
import type { KnownDeployment } from '../../deployment-directory/domain/known-deployment';
import type {
  GiveInstruction,
  InstructionFacts,
  InstructionGivenEvent,
  InstructionRecord,
} from '../../instructions/domain/instruction.types';
import type { ReportCommand } from '../../usage/domain/occurrence';

/** The aggregate type outputs are stored under (`aggregates.aggregate_type`), and their CloudEvent subject prefix. */
export const OUTPUT_AGGREGATE = 'output';

export type OutputFacts = EventData<typeof OutputGeneratedV2>;
export type PresentationFacts = EventData<typeof OutputPresentedV1>;
export type ActionFacts = EventData<typeof OutputActedOnV1>;

/** `deployment` is what the deployment directory knows of `facts.deploymentId` (null: nothing); the write path adds it. */
export type RecordOutput = ReportCommand<'RecordOutput', OutputFacts> & { readonly deployment: KnownDeployment | null };
export type RecordPresentation = ReportCommand<'RecordPresentation', PresentationFacts>;
export type RecordAction = ReportCommand<'RecordAction', ActionFacts>;
/** An instruction naming this output: its subject is the output, so the output records it. */
export type GiveOutputInstruction = GiveInstruction<InstructionFacts & { readonly outputId: string }>;

export type OutputCommand = RecordOutput | RecordPresentation | RecordAction | GiveOutputInstruction;

/** An output command as a caller reports it: what the directory knows is added by the write path, never by the caller. */
export type ReportedOutputCommand = Exclude<OutputCommand, RecordOutput> | Omit<RecordOutput, 'deployment'>;

export type OutputEvent =
  | OccurredEvent<'output.generated', OutputFacts>
  | OccurredEvent<'output.presented', PresentationFacts>
  | OccurredEvent<'output.acted-on', ActionFacts>
  | InstructionGivenEvent;

export interface PresentationRecord {
  readonly professional: Professional;
  readonly site: string;
  readonly occurredAt: string;
}

export interface ActionRecord {
  readonly professional: Professional;
  readonly action: OutputAction;
  readonly rationale?: string;
  readonly reviewDurationSeconds: number;
  readonly occurredAt: string;
}

export type OutputState =
  | { readonly status: 'unrecorded' }
  | {
      readonly status: 'generated';
      readonly outputId: string;
      readonly organisationId: string;
      readonly deploymentId: string;
      readonly modelId: string;
      readonly versionId: string;
      readonly subjectRef: string;
      readonly outputDigest: string;
      readonly site: string;
      readonly service?: string;
      readonly population?: OutputPopulation;
      readonly summary?: string;
      /** The clinical system's time of generation: the `time` of output.generated. */
      readonly generatedAt: string;
      readonly presentations: readonly PresentationRecord[];
      readonly actions: readonly ActionRecord[];
      readonly instructions: readonly InstructionRecord[];
    };

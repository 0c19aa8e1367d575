import type { Static, TObject } from '@sinclair/typebox';

/** Namespace of every CloudEvents `type` this system emits: `aal.<name>.v<version>`. */
export const EVENT_TYPE_PREFIX = 'aal.';

/**
 * One event type at one schema version. The TypeBox object is the single definition: it is the
 * JSON Schema (published and validated with Ajv) and, through `Static`, the TypeScript type.
 */
export interface EventDefinition<S extends TObject = TObject, N extends string = string, P extends ProducerName = ProducerName> {
  /** Catalogue name, e.g. `deployment.approved`. */
  readonly name: N;
  readonly version: number;
  /** CloudEvents `type`, e.g. `aal.deployment.approved.v1`. */
  readonly type: string;
  /** CloudEvents `dataschema`: a stable URN naming the schema and its version. */
  readonly dataschema: string;
  /** The producing service that owns this event. */
  readonly producer: P;
  readonly schema: S;
  /** CloudEvents `subject` (and Kafka partition key): the aggregate the event is about. */
  // Method syntax on purpose: lets a catalogue of specific definitions be read as EventDefinition[].
  subjectOf(data: Static<S>): string;
  readonly description: string;
}

export type ProducerName = 'model-registry' | 'deployment-approval' | 'usage-events' | 'ledger' | 'concerns' | 'incidents';

/** The name and producer keep their literal types, so tables keyed by catalogue name (see deployment-lifecycle.ts) are checked against the catalogue. */
export function defineEvent<S extends TObject, N extends string, P extends ProducerName>(spec: {
  name: N;
  version: number;
  producer: P;
  description: string;
  schema: S;
  subjectOf: (data: Static<S>) => string;
}): EventDefinition<S, N, P> {
  return {
    ...spec,
    type: `${EVENT_TYPE_PREFIX}${spec.name}.v${spec.version}`,
    dataschema: `urn:aal:schema:${spec.name}:v${spec.version}`,
  };
}

export type EventData<D extends EventDefinition> = D extends EventDefinition<infer S> ? Static<S> : never;

import type { Occurred } from '@aal/domain';

/**
 * The two clocks of every reported fact. `occurredAt` (every service's command time) is the
 * clinical system's word for when it happened and becomes the CloudEvent `time`; `receivedAt` is
 * this service's clock when the report arrived. Both are RFC 3339 strings carried on the command:
 * the domain reads no clock.
 */
export interface Timing extends Occurred {
  readonly receivedAt: string;
}

/**
 * A command reporting one fact: `facts` is exactly the event data it will become, beside the two
 * clocks. The facts are nested rather than spread because event data has fields of its own named
 * `kind` (instruction.given), which would collide with the command's discriminator.
 */
export type ReportCommand<K extends string, F> = { readonly kind: K; readonly facts: F } & Timing;

/** One refused field of a report, located by JSON Pointer into the request body. */
export interface FieldIssue {
  readonly pointer: string;
  readonly rule: string;
  readonly detail: string;
}

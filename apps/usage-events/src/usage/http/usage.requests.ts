import { Timestamp } from '@aal/contracts';
import { Type } from '@sinclair/typebox';

/** Request bodies are cut from the event schemas and closed, so the API and the events cannot drift. */
export const strict = { additionalProperties: false } as const;

/**
 * Every report says when the fact happened, by the clinical system's clock: it becomes the
 * CloudEvent `time`. Up to 5 minutes ahead of this service's clock is tolerated; any past time is
 * accepted and shows as late in the ledger.
 */
export const Occurrence = Type.Object({ occurredAt: Timestamp });

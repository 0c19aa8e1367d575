import { Timestamp } from '@aal/contracts';
import { CALLER_HEADERS } from '@aal/http';
import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { Type } from '@sinclair/typebox';

/** Request bodies are cut from the event schemas and closed, so the API and the events cannot drift. */
export const strict = { additionalProperties: false } as const;

/**
 * Every report says when the fact happened, by the clinical system's clock: it becomes the
 * CloudEvent `time`. Up to 5 minutes ahead of this service's clock is tolerated; any past time is
 * accepted and shows as late in the ledger.
 */
export const Occurrence = Type.Object({ occurredAt: Timestamp });

/** Documents the caller identity headers every usage-events endpoint requires. */
export function ApiCallerHeaders() {
  return applyDecorators(
    ApiHeader({ name: CALLER_HEADERS.organisationId, required: true, description: 'Caller organisation (development identity)' }),
    ApiHeader({ name: CALLER_HEADERS.personId, required: true, description: 'Caller pseudonym (development identity)' }),
    ApiHeader({ name: CALLER_HEADERS.role, required: true, description: 'Caller role (development identity)' }),
  );
}

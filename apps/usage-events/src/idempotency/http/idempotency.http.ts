import {
  ApiAnswer,
  callerOf,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  parseIdempotencyKey,
  requestFingerprint,
} from '@aal/http';
import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { TSchema } from '@sinclair/typebox';
import type { Request, Response } from 'express';
import type { IdempotentRequest, WriteResult } from '../domain/idempotent-request';

/**
 * The request's idempotency identity, or `undefined` without an Idempotency-Key header. Keys
 * are scoped to the caller's organisation: two organisations may use the same key.
 * @throws DomainError IDEMPOTENCY.KEY_INVALID (400) for a malformed key.
 */
export const Idempotency = createParamDecorator((_: unknown, ctx: ExecutionContext): IdempotentRequest | undefined => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const key = parseIdempotencyKey(req.header(IDEMPOTENCY_KEY_HEADER));
  if (key === undefined) return undefined;
  return { organisationId: callerOf(req).organisationId, key, fingerprint: requestFingerprint(req.method, req.originalUrl, req.body) };
});

/**
 * Documents the optional Idempotency-Key header of a POST, and its answers (both `answer`): 201, or
 * 200 for a repeat that recorded nothing.
 */
export const ApiIdempotencyKey = (answer: TSchema) =>
  applyDecorators(
    ApiAnswer(201, answer, 'Recorded.'),
    ApiAnswer(200, answer, 'A repeat that recorded nothing: the record as it stands.'),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Optional, 1-200 visible ASCII characters. A repeat of the same request with the same key replays the first response (header Idempotent-Replayed: true); the same key with a different request is refused (422 IDEMPOTENCY.KEY_REUSED); a repeat while the first is in flight gets 409 IDEMPOTENCY.IN_PROGRESS. Kept at least 24 hours.',
    }),
  );

/** Sends a write's result: its status, the replay marker when replayed, and its body. */
export function sendWrite(res: Response, result: WriteResult): unknown {
  res.status(result.status);
  if (result.replayed) res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return JSON.parse(result.body);
}

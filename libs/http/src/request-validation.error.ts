import { formatIssues, type ValidationIssue } from '@aal/contracts';
import type { UnstorableJson } from './storable-json';

/** A request broke its schema; carries every issue so the client can fix all at once. */
export class RequestValidationError extends Error {
  readonly code = 'REQUEST.INVALID';
  constructor(
    readonly issues: readonly ValidationIssue[],
    readonly where: 'body' | 'query' | 'path' = 'body',
  ) {
    super(`request ${where} is invalid: ${formatIssues(issues)}`);
  }
}

/** The JSON body parser refused the body (too large, not JSON, bad encoding). */
export class RequestBodyError extends Error {
  readonly parserType: string;
  readonly status: number;
  constructor(cause: { type?: string; message?: string; status?: number }) {
    super(cause.message ?? 'unreadable body');
    this.parserType = cause.type ?? 'unknown';
    this.status = cause.status ?? 400;
  }
}

/**
 * A parsed request part nests too deep or holds text the database cannot store (see
 * findUnstorableJson); refused before any handler reads it, with the pointer of each member.
 */
export class RequestContentError extends Error {
  constructor(
    readonly code: UnstorableJson['code'],
    readonly issues: readonly ValidationIssue[],
    readonly where: 'body' | 'query' | 'path',
  ) {
    super(`request ${where} refused (${code}): ${formatIssues(issues)}`);
    this.name = 'RequestContentError';
  }
}

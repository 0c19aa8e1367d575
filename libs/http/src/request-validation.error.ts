import { formatIssues, type ValidationIssue } from '@aal/contracts';

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

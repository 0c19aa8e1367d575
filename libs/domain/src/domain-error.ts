/**
 * What kind of refusal a domain error is. The HTTP layer maps kinds to status codes; the domain
 * never knows about HTTP.
 */
export type DomainErrorKind = 'invalid' | 'not-found' | 'conflict' | 'rule-violated' | 'forbidden';

/**
 * A refusal by the domain, with a stable machine-readable `code` such as
 * `DEPLOYMENT.SELF_APPROVAL`. `detail` is for people: a precise, factual sentence.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    readonly detail: string,
    readonly context: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = 'DomainError';
  }
}

/**
 * The service cannot answer yet but expects to soon (a projection behind the log, a queue full):
 * a push back, not a failure and not a refusal. The HTTP layer answers 503 with Retry-After.
 */
export class PushBackError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    /** When to ask again. */
    readonly retryAfterSeconds: number,
    readonly context: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = 'PushBackError';
  }
}

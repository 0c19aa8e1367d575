/**
 * The projection has not reached a position the caller asked for within the time a request may
 * wait: a "push back", not a failure. The HTTP layer answers 503 with Retry-After.
 */
export class ProjectionBehindError extends Error {
  readonly code = 'PROJECTION.BEHIND';
  constructor(
    /** The entry the caller needs applied. */
    readonly waitFor: number,
    /** The projection's position: it holds every entry below it. */
    readonly position: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`the accountability projection has applied entries up to seq ${position - 1}, not yet ${waitFor}; retry after ${retryAfterSeconds} s`);
    this.name = 'ProjectionBehindError';
  }
}

/**
 * A refusal that is about HTTP itself (a status no domain error kind maps to, such as 413 for a
 * batch with too many items), with a stable code. Thrown only by controllers; ProblemDetailsFilter
 * renders it like every other problem, `extensions` beside the standard members.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = 'HttpProblem';
  }
}

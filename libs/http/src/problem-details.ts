import type { ValidationIssue } from '@aal/contracts';

/** RFC 9457 problem details, with this system's extension members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  /** Stable machine-readable code, e.g. `REQUEST.INVALID` or `DEPLOYMENT.SELF_APPROVAL`. */
  code: string;
  /** Echoes (or assigns) the request's `x-correlation-id`, also found in the logs. */
  correlationId: string;
  /** One entry per failed rule, each naming the field by JSON Pointer. */
  errors?: Array<{ pointer: string; rule: string; detail: string }>;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem `type` URIs are stable URNs derived from the code, documented in docs/problems.md. */
export function problemType(code: string): string {
  return `urn:aal:problem:${code.toLowerCase()}`;
}

export function issuesToErrors(issues: readonly ValidationIssue[]): NonNullable<ProblemDetails['errors']> {
  return issues.map((i) => ({ pointer: i.pointer, rule: i.rule, detail: `${i.pointer || '/'} ${i.message}` }));
}

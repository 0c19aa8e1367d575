import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { correlationIdOf } from './correlation-id';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem-details';

/**
 * A refusal that is about HTTP itself (a status no domain error kind maps to, such as 413 for a
 * batch with too many items), with a stable code. Thrown only by controllers; rendered by
 * HttpProblemFilter, which a controller opts into with `@UseFilters(HttpProblemFilter)`.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly code: string,
    readonly detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = 'HttpProblem';
  }
}

/** Renders HttpProblem as an RFC 9457 problem with the same members ProblemDetailsFilter writes. */
@Catch(HttpProblem)
export class HttpProblemFilter implements ExceptionFilter {
  catch(error: HttpProblem, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const correlationId = correlationIdOf(req, res);
    const problem = {
      ...error.extensions,
      type: problemType(error.code),
      title: error.title,
      status: error.status,
      detail: error.detail,
      instance: req.originalUrl,
      code: error.code,
      correlationId,
    };
    if (res.headersSent) return;
    res.status(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}

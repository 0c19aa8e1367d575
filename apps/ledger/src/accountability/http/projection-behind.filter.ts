import { correlationIdOf, PROBLEM_CONTENT_TYPE, problemType } from '@aal/http';
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ProjectionBehindError } from '../application/projection-behind.error';

/** Renders ProjectionBehindError as a 503 problem with Retry-After: the client should try again. */
@Catch(ProjectionBehindError)
export class ProjectionBehindFilter implements ExceptionFilter {
  catch(error: ProjectionBehindError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const problem = {
      type: problemType(error.code),
      title: 'Service Unavailable',
      status: 503,
      detail: error.message,
      instance: req.originalUrl,
      code: error.code,
      correlationId: correlationIdOf(req, res),
      waitFor: error.waitFor,
      position: error.position,
      retryAfter: error.retryAfterSeconds,
    };
    if (res.headersSent) return;
    res.setHeader('Retry-After', String(error.retryAfterSeconds));
    res.status(503).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}

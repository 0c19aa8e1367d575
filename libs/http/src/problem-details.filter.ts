import { DomainError, PushBackError, type DomainErrorKind } from '@aal/domain';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { correlationIdOf } from './correlation-id';
import { issuesToErrors, PROBLEM_CONTENT_TYPE, problemType, type ProblemDetails } from './problem-details';
import { AuthenticationError, RateLimitedError } from './caller';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-unavailable';
import { HttpProblem } from './http-problem';
import { RequestBodyError, RequestContentError, RequestValidationError } from './request-validation.error';
import { MAX_JSON_DEPTH } from './storable-json';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'rule-violated': 422,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The one place errors become HTTP: RFC 9457 problem details for everything, domain errors by
 * kind, push backs as 503 with Retry-After, validation errors with one entry per field, unknown
 * errors as a logged 500 that reveals nothing internal. Registered globally, so every route answers
 * alike; no controller needs a filter of its own.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const correlationId = correlationIdOf(req, res);
    const problem = this.toProblem(error, req, correlationId);
    if (problem.status === 503) {
      this.logger.warn({ msg: 'request pushed back', correlationId, path: req.originalUrl, code: problem.code, err: describe(error) });
    } else if (problem.status >= 500) {
      this.logger.error({ msg: 'request failed', correlationId, path: req.originalUrl, err: describe(error) });
    }
    if (res.headersSent) return;
    if (problem.status === 401) res.setHeader('WWW-Authenticate', `Bearer error="invalid_token"`);
    if (error instanceof RateLimitedError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    if (typeof problem['retryAfter'] === 'number' && problem.status === 503) res.setHeader('Retry-After', String(problem['retryAfter']));
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(error: unknown, req: Request, correlationId: string): ProblemDetails {
    const base = (status: number, code: string, detail: string): ProblemDetails => ({
      type: problemType(code),
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      instance: req.originalUrl,
      code,
      correlationId,
    });
    if (error instanceof RequestValidationError) {
      return {
        ...base(400, error.code, `The request ${error.where} is invalid: ${error.issues.length} problem(s).`),
        errors: issuesToErrors(error.issues),
      };
    }
    if (error instanceof RequestContentError) {
      const detail =
        error.code === 'REQUEST.TOO_DEEP'
          ? `The request ${error.where} nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels.`
          : `The request ${error.where} holds text that cannot be stored (U+0000 or an unpaired UTF-16 surrogate): ${error.issues.length} member(s).`;
      return { ...base(400, error.code, detail), errors: issuesToErrors(error.issues) };
    }
    if (error instanceof AuthenticationError) {
      return base(401, error.code, error.message);
    }
    if (error instanceof RateLimitedError) {
      return { ...base(429, error.code, error.message), retryAfter: error.retryAfterSeconds };
    }
    // Context and extensions first: they may add evidence but never overwrite the problem's own members.
    if (error instanceof DomainError) {
      return { ...error.context, ...base(STATUS_BY_KIND[error.kind], error.code, error.detail) };
    }
    if (error instanceof PushBackError) {
      return { ...error.context, ...base(503, error.code, error.detail), retryAfter: error.retryAfterSeconds };
    }
    if (error instanceof HttpProblem) {
      return { ...error.extensions, ...base(error.status, error.code, error.detail) };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      const detail = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? error.message);
      return base(status, `HTTP.${status}`, status === 404 ? `No route for ${req.method} ${req.path}` : detail);
    }
    if (error instanceof RequestBodyError) return this.bodyParserProblem(error, base);
    if (isDatabaseUnavailable(error)) {
      return {
        ...base(
          503,
          'SERVICE.DATABASE_UNAVAILABLE',
          `The service's database is unavailable (restarting or unreachable), so the request may not have been carried out; retry it after ${DATABASE_RETRY_AFTER_SECONDS} s (with the same Idempotency-Key where the route takes one, a retry never records twice).`,
        ),
        retryAfter: DATABASE_RETRY_AFTER_SECONDS,
      };
    }
    return base(500, 'INTERNAL', 'An unexpected error occurred; quote the correlation id when reporting it.');
  }

  private bodyParserProblem(err: RequestBodyError, base: (s: number, c: string, d: string) => ProblemDetails): ProblemDetails {
    switch (err.parserType) {
      case 'entity.too.large':
        return base(413, 'REQUEST.TOO_LARGE', 'The request body is larger than this service accepts.');
      case 'entity.parse.failed':
        return base(400, 'REQUEST.MALFORMED_JSON', `The request body is not valid JSON: ${err.message}`);
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return base(415, 'REQUEST.UNSUPPORTED_ENCODING', err.message);
      default:
        return base(err.status >= 400 && err.status < 500 ? err.status : 400, 'REQUEST.UNREADABLE', 'The request body could not be read.');
    }
  }
}

function describe(error: unknown): object {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
}

import { completeServiceDocument, correlationIdMiddleware, CORRELATION_HEADER, ProblemDetailsFilter } from '@aal/http';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { json, type NextFunction, type Request, type Response } from 'express';
import { findUnstorableJson, RequestBodyError, RequestContentError } from '@aal/http';
import type { Logger } from 'pino';
import { createJsonLogger, NestJsonLogger } from './json-logger';
import { Metrics } from './metrics';

export interface ServiceAppOptions {
  /** Service name, used in logs and the OpenAPI title. */
  readonly name: string;
  readonly description: string;
  /** Largest accepted JSON body, e.g. `1mb`; larger requests get a 413 problem. */
  readonly bodyLimit?: string;
  readonly logger?: Logger;
  /**
   * The request path as the request log writes it; by default as received. A service whose URLs
   * carry capabilities (concern receipts) writes them redacted, so logs never hold one.
   */
  readonly logPath?: (path: string) => string;
}

/**
 * Builds a service the same way everywhere: JSON logs, bounded JSON bodies, correlation ids,
 * RFC 9457 problems for every error, Prometheus metrics at /metrics (the module MUST import
 * `MetricsModule`), OpenAPI at /docs (JSON at /docs/openapi.json).
 */
export async function createServiceApp(module: Type<unknown> | DynamicModule, options: ServiceAppOptions): Promise<INestApplication> {
  const logger = options.logger ?? createJsonLogger(options.name);
  const app = await NestFactory.create<NestExpressApplication>(module, {
    logger: new NestJsonLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });
  app.use(correlationIdMiddleware);
  const metrics = app.get(Metrics, { strict: false });
  app.use(metrics.httpMiddleware());
  app.use(boundedJsonBody(options.bodyLimit ?? '1mb'));
  app.use(storableUrl);
  app.use(requestLog(logger, options.logPath ?? ((path) => path)));
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  app.getHttpAdapter().getInstance().disable('x-powered-by');

  SwaggerModule.setup('docs', app, serviceDocument(app, options), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

/**
 * The service's OpenAPI document as /docs/openapi.json serves it: built from the module's
 * controllers, with the bearer scheme and problem details of every route (`completeServiceDocument`).
 * Works on an application created with `{ preview: true }` too, which connects to nothing
 * (scripts/openapi-documents.ts writes the documents that way).
 */
export function serviceDocument(app: INestApplication, options: Pick<ServiceAppOptions, 'name' | 'description'>): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(`AI Accountability Ledger: ${options.name}`)
    .setDescription(options.description)
    .setVersion('1')
    .build();
  return completeServiceDocument(SwaggerModule.createDocument(app, config));
}

/**
 * JSON bodies up to `limit`. Parser failures are re-thrown as RequestBodyError so the problem
 * filter can say precisely what was wrong (Nest would turn them into a bare 400). A parsed body
 * that nests deeper than MAX_JSON_DEPTH or holds text PostgreSQL cannot store is refused here, for
 * every route at once, as RequestContentError (400 REQUEST.TOO_DEEP / REQUEST.UNSTORABLE_TEXT):
 * no handler, fingerprint or database ever sees it.
 */
export function boundedJsonBody(limit: string, type: string | string[] = 'application/json') {
  const parse = json({ limit, strict: true, type });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (err?: unknown) => {
      if (err) return next(new RequestBodyError(err as { type?: string; message?: string; status?: number }));
      // A body an earlier parser read (a route's own, see RouteBodyParsers) was checked there.
      if (checkedBodies.has(req)) return next();
      checkedBodies.add(req);
      const refused = findUnstorableJson(req.body);
      next(refused ? new RequestContentError(refused.code, refused.issues, 'body') : undefined);
    });
}

const checkedBodies = new WeakSet<Request>();

/**
 * The same refusal for the URL: a query value or path segment holding U+0000 (`%00`) would reach
 * SQL as a parameter PostgreSQL cannot store and answer 500. (Percent-decoding cannot yield a lone
 * surrogate: those bytes are not UTF-8, and decoding them already fails with a 400.)
 */
function storableUrl(req: Request, _res: Response, next: NextFunction) {
  const inQuery = findUnstorableJson(req.query);
  if (inQuery) return next(new RequestContentError(inQuery.code, inQuery.issues, 'query'));
  const segments = req.path.split('/').slice(1);
  const bad = segments.findIndex((segment) => /%00/.test(segment));
  if (bad < 0) return next();
  next(
    new RequestContentError(
      'REQUEST.UNSTORABLE_TEXT',
      [{ pointer: '', rule: 'storable-text', message: `path segment ${bad + 1} (${segments[bad]}) holds U+0000, which cannot be stored` }],
      'path',
    ),
  );
}

function requestLog(logger: Logger, logPath: (path: string) => string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      if (req.path.startsWith('/health')) return;
      logger.info({
        msg: 'request',
        method: req.method,
        path: logPath(req.originalUrl),
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        correlationId: res.getHeader(CORRELATION_HEADER),
      });
    });
    next();
  };
}

import { boundedJsonBody } from '@aal/service-kit';
import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express } from 'express';
import { BATCH_BODY_LIMIT } from './batches/http/batch.request';
import { FHIR_JSON_TYPES } from './fhir/http/fhir-media-types';
import { fhirBodyRefusal } from './fhir/http/operation-outcome.filter';

/**
 * JSON parsers for the routes whose bodies the service-wide parser (createServiceApp: 1 MB,
 * application/json) does not fit: POST /batches (up to BATCH_BODY_LIMIT) and /fhir
 * (application/fhir+json). Express runs middleware in registration order, and Nest constructs
 * providers inside NestFactory.create, before createServiceApp mounts its parser; a body read
 * here leaves the request finished, so the service-wide parser skips it. Errors take the same
 * route as the service-wide parser's (RequestBodyError → 413 REQUEST.TOO_LARGE etc.), except that
 * /fhir answers them with an OperationOutcome (fhirBodyRefusal).
 *
 * This leans on construction order; a `routeBodyLimits` option of createServiceApp would say it
 * outright (see docs/decisions.md, "Batches").
 */
@Injectable()
export class RouteBodyParsers {
  constructor(host: HttpAdapterHost) {
    const app = host.httpAdapter.getInstance<Express>();
    app.use('/batches', boundedJsonBody(BATCH_BODY_LIMIT));
    app.use('/fhir', boundedJsonBody('1mb', FHIR_JSON_TYPES), fhirBodyRefusal);
  }
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractViolation, type OpenApiDocument } from './contract-check';

// Given model-registry's committed document, when an answer breaks it, then the check says how;
// answers that keep it pass. (The API tests run this check on every answer, through httpClient.)
const document = JSON.parse(readFileSync(join(__dirname, '../../../docs/openapi/model-registry.json'), 'utf8')) as OpenApiDocument;
const model = {
  status: 'registered',
  modelId: '0b9f4c2e-3c1a-4d8e-9a55-6f1f2b7c9d10',
  vendorId: 'acme-clinical-ai',
  name: 'SepsisWatch Early Warning',
  versions: {},
  notices: {},
  revision: 1,
};
const problem = {
  type: 'urn:aal:problem:model.not_found',
  title: 'Not Found',
  status: 404,
  detail: 'No model 0b9f4c2e-3c1a-4d8e-9a55-6f1f2b7c9d10.',
  instance: '/models/0b9f4c2e-3c1a-4d8e-9a55-6f1f2b7c9d10',
  code: 'MODEL.NOT_FOUND',
  correlationId: 'c-1',
};
const json = 'application/json; charset=utf-8';
const problemJson = 'application/problem+json; charset=utf-8';

test('an answer its route documents passes', () => {
  expect(
    contractViolation(document, { method: 'GET', path: `/models/${model.modelId}`, status: 200, contentType: json, body: model }),
  ).toBeUndefined();
  expect(
    contractViolation(document, {
      method: 'GET',
      path: '/models?limit=5',
      status: 200,
      contentType: json,
      body: { items: [model], limit: 5, offset: 0 },
    }),
  ).toBeUndefined();
  expect(
    contractViolation(document, { method: 'GET', path: `/models/${model.modelId}`, status: 404, contentType: problemJson, body: problem }),
  ).toBeUndefined();
});

test('a body the documented schema refuses fails, naming the member', () => {
  const { modelId: _dropped, ...withoutId } = model;
  expect(contractViolation(document, { method: 'POST', path: '/models', status: 201, contentType: json, body: withoutId })).toMatch(
    /POST \/models answered 201 .* must have required property 'modelId'/,
  );
  expect(
    contractViolation(document, {
      method: 'GET',
      path: `/models/${model.modelId}`,
      status: 200,
      contentType: json,
      body: { ...model, secret: 1 },
    }),
  ).toMatch(/must NOT have additional properties/);
});

test('a problem without its members fails, on documented and unknown routes alike', () => {
  const { code: _code, ...withoutCode } = problem;
  expect(
    contractViolation(document, {
      method: 'GET',
      path: `/models/${model.modelId}`,
      status: 404,
      contentType: problemJson,
      body: withoutCode,
    }),
  ).toMatch(/must have required property 'code'/);
  expect(
    contractViolation(document, { method: 'GET', path: '/nowhere', status: 404, contentType: problemJson, body: withoutCode }),
  ).toMatch(/must have required property 'code'/);
});

test('an undocumented status or media type fails', () => {
  expect(
    contractViolation(document, { method: 'GET', path: `/models/${model.modelId}`, status: 418, contentType: problemJson, body: problem }),
  ).toMatch(/answered 418, which \/models\/\{modelId\} does not document/);
  expect(
    contractViolation(document, { method: 'GET', path: `/models/${model.modelId}`, status: 200, contentType: 'text/html', body: '<p>' }),
  ).toMatch(/as text\/html, which \/models\/\{modelId\} does not document/);
});

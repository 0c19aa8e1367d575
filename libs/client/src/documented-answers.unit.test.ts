import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentPath, SERVICES } from '../../../scripts/openapi-documents';

type Responses = Record<string, { content?: Record<string, { schema?: object }> }>;

// Every success answer is documented with its schema in each media type it is sent in, so the typed
// client and the contract check (libs/testing/src/contract-check.ts) know every answer. The committed
// documents are checked fresh by generated.unit.test.ts.
test('every operation documents a schema for each of its success answers', () => {
  const missing = SERVICES.flatMap((service) => {
    const document = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', documentPath(service)), 'utf8')) as {
      paths: Record<string, Record<string, { responses?: Responses }>>;
    };
    return Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).flatMap(([method, operation]) =>
        Object.entries(operation.responses ?? {})
          .filter(([status]) => status.startsWith('2'))
          .filter(([, response]) => !response.content || Object.values(response.content).some((media) => !media.schema))
          .map(([status]) => `${service}: ${method.toUpperCase()} ${path} ${status}`),
      ),
    );
  });
  expect(missing).toEqual([]);
});

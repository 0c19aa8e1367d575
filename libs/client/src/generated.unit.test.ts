import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedFiles } from '../../../scripts/openapi-documents';

// The OpenAPI documents (docs/openapi/) and the client's types (libs/client/src/generated/) are
// generated from the services' modules; a route or schema changed without `npm run client:generate`
// fails here, naming the stale file.
test('the committed OpenAPI documents and client types are what the services generate', async () => {
  const stale = (await generatedFiles()).filter((file) => {
    let committed = '';
    try {
      committed = readFileSync(join(__dirname, '..', '..', '..', file.path), 'utf8');
    } catch {
      // missing: stale
    }
    return committed !== file.content;
  });
  expect(stale.map((f) => `${f.path} is stale: run npm run client:generate`)).toEqual([]);
});

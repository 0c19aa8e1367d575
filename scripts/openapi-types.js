// Reads { "<service>": <OpenAPI document> } on stdin and writes { "<service>": "<TypeScript>" } on
// stdout: openapi-typescript's types of each document. A process of its own because
// openapi-typescript loads ES-only dependencies, which Node.js requires but Jest cannot
// (scripts/openapi-documents.ts calls it, from `npm run client:generate` and the freshness test).
const { default: openapiTS, astToString } = require('openapi-typescript');

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const documents = JSON.parse(input);
  const types = {};
  for (const [service, document] of Object.entries(documents)) {
    types[service] = astToString(await openapiTS(document, { exportType: false, alphabetize: true }));
  }
  process.stdout.write(JSON.stringify(types));
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});

import './tracing';
import 'reflect-metadata';
import { listenHost } from '@aal/contracts';
import { createServiceApp } from '@aal/service-kit';
import { AppModule } from './app.module';
import { configFromEnv } from './config';

export const LEDGER_DESCRIPTION =
  'Consumes every producer topic into an append-only, hash-chained log and answers investigators: the accountability chain of each AI output, with the ledger entries that prove it.';

async function main(): Promise<void> {
  const config = configFromEnv();
  const app = await createServiceApp(AppModule.register(config), { name: 'ledger', description: LEDGER_DESCRIPTION });
  await app.listen(config.port, listenHost());
}

// Imported for its description (scripts/openapi-documents.ts), it starts nothing.
if (require.main === module) void main();

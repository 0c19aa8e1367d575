import './tracing';
import 'reflect-metadata';
import { listenHost } from '@aal/contracts';
import { createServiceApp } from '@aal/service-kit';
import { AppModule } from './app.module';
import { configFromEnv } from './config';

export const INCIDENTS_DESCRIPTION =
  'Deployers classify serious incidents in their deployments and record informing the provider; providers record when they became aware ' +
  'and their reports to the market surveillance authority and the MHRA. The ledger computes the deadlines (docs/incidents.md).';

async function main(): Promise<void> {
  const config = configFromEnv();
  const app = await createServiceApp(AppModule.register(config), { name: 'incidents', description: INCIDENTS_DESCRIPTION });
  await app.listen(config.port, listenHost());
}

// Imported for its description (scripts/openapi-documents.ts), it starts nothing.
if (require.main === module) void main();

import './tracing';
import 'reflect-metadata';
import { listenHost } from '@aal/contracts';
import { createServiceApp } from '@aal/service-kit';
import { AppModule } from './app.module';
import { redactReceiptCodes } from './concerns/http/concerns.controller';
import { configFromEnv } from './config';

export const CONCERNS_DESCRIPTION =
  'Vendors and employers take in concerns about model versions and deployments from patients, their representatives, ' +
  'PPI groups and staff; addressees acknowledge and answer them by due dates; whoever raised one follows it with its receipt.';

async function main(): Promise<void> {
  const config = configFromEnv();
  const app = await createServiceApp(AppModule.register(config), {
    name: 'concerns',
    description: CONCERNS_DESCRIPTION,
    logPath: redactReceiptCodes,
  });
  await app.listen(config.port, listenHost());
}

// Imported for its description (scripts/openapi-documents.ts), it starts nothing.
if (require.main === module) void main();

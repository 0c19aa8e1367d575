import './tracing';
import 'reflect-metadata';
import { listenHost } from '@aal/contracts';
import { createServiceApp } from '@aal/service-kit';
import { AppModule } from './app.module';
import { configFromEnv } from './config';

export const USAGE_EVENTS_DESCRIPTION =
  'Clinical systems report each AI output, who it was shown to, what they did with it, who instructed its use, and incidents involving it.';

async function main(): Promise<void> {
  const config = configFromEnv();
  const app = await createServiceApp(AppModule.register(config), { name: 'usage-events', description: USAGE_EVENTS_DESCRIPTION });
  await app.listen(config.port, listenHost());
}

// Imported for its description (scripts/openapi-documents.ts), it starts nothing.
if (require.main === module) void main();

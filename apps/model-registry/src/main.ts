import './tracing';
import 'reflect-metadata';
import { listenHost } from '@aal/contracts';
import { createServiceApp } from '@aal/service-kit';
import { AppModule } from './app.module';
import { configFromEnv } from './config';

export const MODEL_REGISTRY_DESCRIPTION =
  'Vendors register AI models, release versions with their intended use and limitations, issue safety notices and withdraw versions.';

async function main(): Promise<void> {
  const config = configFromEnv();
  const app = await createServiceApp(AppModule.register(config), { name: 'model-registry', description: MODEL_REGISTRY_DESCRIPTION });
  await app.listen(config.port, listenHost());
}

// Imported for its description (scripts/openapi-documents.ts), it starts nothing.
if (require.main === module) void main();

import './tracing';
import 'reflect-metadata';
import { createServiceApp } from '@aal/service-kit';
import { AppModule } from './app.module';
import { configFromEnv } from './config';

export const DEPLOYMENT_APPROVAL_DESCRIPTION =
  'Employers request, approve, activate, suspend, reinstate, revoke and expire deployments of model versions, ' +
  'issue usage policies and record staff training.';

async function main(): Promise<void> {
  const config = configFromEnv();
  const app = await createServiceApp(AppModule.register(config), {
    name: 'deployment-approval',
    description: DEPLOYMENT_APPROVAL_DESCRIPTION,
  });
  await app.listen(config.port, '127.0.0.1');
}

// Imported for its description (scripts/openapi-documents.ts), it starts nothing.
if (require.main === module) void main();

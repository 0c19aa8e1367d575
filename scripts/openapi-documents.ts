import 'reflect-metadata';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { serviceDocument } from '@aal/service-kit';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule as ConcernsModule } from '../apps/concerns/src/app.module';
import { configFromEnv as concernsConfig } from '../apps/concerns/src/config';
import { CONCERNS_DESCRIPTION } from '../apps/concerns/src/main';
import { AppModule as DeploymentApprovalModule } from '../apps/deployment-approval/src/app.module';
import { configFromEnv as deploymentApprovalConfig } from '../apps/deployment-approval/src/config';
import { DEPLOYMENT_APPROVAL_DESCRIPTION } from '../apps/deployment-approval/src/main';
import { AppModule as IncidentsModule } from '../apps/incidents/src/app.module';
import { configFromEnv as incidentsConfig } from '../apps/incidents/src/config';
import { INCIDENTS_DESCRIPTION } from '../apps/incidents/src/main';
import { AppModule as LedgerModule } from '../apps/ledger/src/app.module';
import { configFromEnv as ledgerConfig } from '../apps/ledger/src/config';
import { LEDGER_DESCRIPTION } from '../apps/ledger/src/main';
import { AppModule as ModelRegistryModule } from '../apps/model-registry/src/app.module';
import { configFromEnv as modelRegistryConfig } from '../apps/model-registry/src/config';
import { MODEL_REGISTRY_DESCRIPTION } from '../apps/model-registry/src/main';
import { AppModule as UsageEventsModule } from '../apps/usage-events/src/app.module';
import { configFromEnv as usageEventsConfig } from '../apps/usage-events/src/config';
import { USAGE_EVENTS_DESCRIPTION } from '../apps/usage-events/src/main';

/**
 * Every service's OpenAPI document, built from its Nest module in preview mode (no provider is
 * instantiated: nothing connects to Kafka or PostgreSQL), then `openapi-typescript`'s types of it
 * in libs/client/src/generated/. `npm run client:generate` writes both; the freshness test
 * (libs/client/src/generated.unit.test.ts) regenerates them in memory and compares.
 */
export const SERVICES = ['model-registry', 'deployment-approval', 'usage-events', 'concerns', 'incidents', 'ledger'] as const;
export type Service = (typeof SERVICES)[number];

type Env = NodeJS.ProcessEnv;
const MODULES: Record<Service, { module: (env: Env) => DynamicModule; description: string }> = {
  'model-registry': { module: (env) => ModelRegistryModule.register(modelRegistryConfig(env)), description: MODEL_REGISTRY_DESCRIPTION },
  'deployment-approval': {
    module: (env) => DeploymentApprovalModule.register(deploymentApprovalConfig(env)),
    description: DEPLOYMENT_APPROVAL_DESCRIPTION,
  },
  'usage-events': { module: (env) => UsageEventsModule.register(usageEventsConfig(env)), description: USAGE_EVENTS_DESCRIPTION },
  concerns: { module: (env) => ConcernsModule.register(concernsConfig(env)), description: CONCERNS_DESCRIPTION },
  incidents: { module: (env) => IncidentsModule.register(incidentsConfig(env)), description: INCIDENTS_DESCRIPTION },
  ledger: { module: (env) => LedgerModule.register(ledgerConfig(env)), description: LEDGER_DESCRIPTION },
};

/** Where the committed files live, relative to the repository root. */
export const documentPath = (service: Service) => `docs/openapi/${service}.json`;
export const clientTypesPath = (service: Service) => `libs/client/src/generated/${service}.ts`;

/**
 * The configuration a service refuses to start without, with throwaway values: preview mode reads
 * none of it, but each `configFromEnv` checks it is there (keys, identity provider).
 */
function placeholderEnv(dir: string): Env {
  const key = generateKeyPairSync('ed25519');
  const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const keySet = join(dir, 'event-keys.json');
  writeFileSync(keySet, JSON.stringify({}));
  return {
    AUTH_ISSUER: 'urn:aal:openapi-documents',
    AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json',
    EVENT_SIGNING_KEY: pem,
    LEDGER_SIGNING_KEY: pem,
    EVENT_KEYS_FILE: keySet,
  };
}

/** Each service's document, as its running /docs/openapi.json serves it. */
export async function openApiDocuments(): Promise<Record<Service, OpenAPIObject>> {
  const dir = mkdtempSync(join(tmpdir(), 'aal-openapi-'));
  try {
    const env = placeholderEnv(dir);
    const documents = {} as Record<Service, OpenAPIObject>;
    for (const service of SERVICES) {
      const { module, description } = MODULES[service];
      const app = await NestFactory.create(module(env), { preview: true, logger: false, abortOnError: false });
      documents[service] = serviceDocument(app, { name: service, description });
      await app.close();
    }
    return documents;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The repository root, from scripts/ (ts-jest) or dist/scripts/ (compiled). */
const REPOSITORY = join(__dirname, __dirname.endsWith(join('dist', 'scripts')) ? '../..' : '..');

const HEADER = '// Generated by `npm run client:generate` (scripts/openapi-documents.ts) with openapi-typescript. Do not edit.\n';

/** Every generated file (path relative to the repository root, and its content). */
export async function generatedFiles(): Promise<Array<{ path: string; content: string }>> {
  const documents = await openApiDocuments();
  const types = JSON.parse(
    execFileSync(process.execPath, [join(REPOSITORY, 'scripts', 'openapi-types.js')], {
      cwd: REPOSITORY,
      input: JSON.stringify(documents),
      maxBuffer: 64 * 1024 * 1024,
    }).toString(),
  ) as Record<Service, string>;
  return SERVICES.flatMap((service) => [
    { path: documentPath(service), content: `${JSON.stringify(documents[service], null, 2)}\n` },
    { path: clientTypesPath(service), content: HEADER + types[service] },
  ]);
}

async function main(): Promise<void> {
  for (const file of await generatedFiles()) {
    mkdirSync(join(REPOSITORY, file.path, '..'), { recursive: true });
    writeFileSync(join(REPOSITORY, file.path), file.content);
    process.stdout.write(`wrote ${file.path}\n`);
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}

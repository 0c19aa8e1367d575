import { createServiceApp } from '@aal/service-kit';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import pino from 'pino';

export interface RunningApp {
  readonly app: INestApplication;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Boots a service in-process on a free port, exactly as main.ts does, with logs silenced. */
export async function startApp(module: DynamicModule, name: string, bodyLimit?: string): Promise<RunningApp> {
  const app = await createServiceApp(module, {
    name,
    description: name,
    logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
    ...(bodyLimit ? { bodyLimit } : {}),
  });
  try {
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  const address = app.getHttpServer().address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

import type { DatabaseSettings } from '@aal/database';
import { createServiceApp } from '@aal/service-kit';
import { testAuthSettings, testLedgerEventKeys } from '@aal/testing';
import type { INestApplication } from '@nestjs/common';
import pino from 'pino';
import { AppModule } from '../apps/ledger/src/app.module';
import { benchCheckpointSettings, benchKafka } from './bench-support';

/**
 * The ledger as the benches run it: in the bench's process on `database`, with topics of its own
 * (Kafka client `clientId`), test keys, silent logs, on a free port of 127.0.0.1.
 */
export async function startBenchLedger(database: DatabaseSettings, clientId: string): Promise<{ app: INestApplication; baseUrl: string }> {
  const app = await createServiceApp(
    AppModule.register({
      port: 0,
      database,
      kafka: await benchKafka(clientId),
      checkpoints: benchCheckpointSettings(),
      ...testLedgerEventKeys(),
      auth: testAuthSettings('ledger'),
    }),
    { name: 'ledger', description: 'bench', logger: pino({ level: 'silent' }) },
  );
  await app.listen(0, '127.0.0.1');
  return { app, baseUrl: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
}

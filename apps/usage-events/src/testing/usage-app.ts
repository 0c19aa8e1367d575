import { startProducer, type RunningProducer } from '@aal/testing';
import { AppModule } from '../app.module';
import { USAGE_EVENTS_SCHEMA } from '../database/usage-events.schema';

export type RunningUsageEvents = RunningProducer;

/** The service as main.ts builds it, on a fresh database and its own Kafka topic prefix. */
export function startUsageEvents(): Promise<RunningUsageEvents> {
  return startProducer('usage-events', USAGE_EVENTS_SCHEMA, (config) => AppModule.register(config));
}

export function readEvents(app: RunningUsageEvents, count: number) {
  return app.readEvents(count);
}

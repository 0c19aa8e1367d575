import { stopTracing } from '@aal/telemetry';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';

/**
 * Exports the spans still buffered when the service shuts down (tracing started by the service's
 * `tracing.ts`, docs/operations.md "Tracing"); nothing to do while tracing is off. Provided by
 * `MetricsModule`, which every service imports.
 */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTracing();
  }
}

import { purgeExpired, purgeTargets, type PurgeOutcome, type PurgeTarget, type ServiceSchema } from '@aal/database';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import type { Clock } from './clock';
import type { Metrics } from './metrics';

export interface RetentionSettings {
  /** Time between runs (RETENTION_INTERVAL_MS, default one hour); 0 runs none (the job is then only run on demand). */
  readonly intervalMs: number;
  /** Rows per DELETE (RETENTION_BATCH_SIZE, default 1000). */
  readonly batchSize: number;
  /** Batches per table per run (RETENTION_MAX_BATCHES, default 100). */
  readonly maxBatches: number;
  /** The purge rules of the schema with their periods (RETENTION_<SCHEMA>_<TABLE>_DAYS). */
  readonly targets: readonly PurgeTarget[];
}

/** The job's defaults, by environment variable (docs/retention.md). */
export const RETENTION_JOB_DEFAULTS = {
  RETENTION_INTERVAL_MS: { value: 3_600_000, meaning: 'time between runs; 0 runs none' },
  RETENTION_BATCH_SIZE: { value: 1000, meaning: 'rows per DELETE, each its own transaction' },
  RETENTION_MAX_BATCHES: { value: 100, meaning: 'batches per table per run; what is left waits for the next run' },
} as const;

const positive = (env: NodeJS.ProcessEnv, name: string, fallback: number, allowZero = false): number => {
  const text = env[name];
  const value = text === undefined || text === '' ? fallback : Number(text);
  if (!Number.isSafeInteger(value) || value < (allowZero ? 0 : 1))
    throw new Error(`${name} must be a whole number of ${allowZero ? '0' : '1'} or more, not ${JSON.stringify(text)}`);
  return value;
};

/** The retention settings of `schema` from the environment; a bad value stops the start-up, naming the variable. */
export function retentionSettingsFromEnv(schema: ServiceSchema, env: NodeJS.ProcessEnv = process.env): RetentionSettings {
  return {
    intervalMs: positive(env, 'RETENTION_INTERVAL_MS', RETENTION_JOB_DEFAULTS.RETENTION_INTERVAL_MS.value, true),
    batchSize: positive(env, 'RETENTION_BATCH_SIZE', RETENTION_JOB_DEFAULTS.RETENTION_BATCH_SIZE.value),
    maxBatches: positive(env, 'RETENTION_MAX_BATCHES', RETENTION_JOB_DEFAULTS.RETENTION_MAX_BATCHES.value),
    targets: purgeTargets(schema.retention, env),
  };
}

/**
 * The retention job of one service: every `intervalMs`, purges what the schema's retention table
 * allows (docs/retention.md), in bounded batches, connected as the service's login role, whose
 * only DELETE grants are on those tables. A service whose rows may be a case's evidence gives
 * `heldSubjects`; a run that cannot read them purges nothing from such a table. Runs never overlap.
 */
export class RetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RetentionJob');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PurgeOutcome[]> | undefined;
  private readonly purged;
  private readonly runs;

  constructor(
    private readonly options: {
      readonly schema: ServiceSchema;
      /** The service's login role's URL (urlForRole). */
      readonly connectionString: string;
      readonly settings: RetentionSettings;
      readonly clock: Clock;
      readonly metrics: Metrics;
      readonly heldSubjects?: () => Promise<readonly string[]>;
    },
  ) {
    this.purged = options.metrics.counter('retention_rows_purged_total', 'Rows the retention job deleted, by table.', ['table']);
    this.runs = options.metrics.counter('retention_runs_total', 'Retention job runs, by outcome (ok or failed).', ['outcome']);
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  start(): void {
    if (this.options.settings.intervalMs === 0 || this.options.settings.targets.length === 0) return;
    this.timer = setInterval(() => {
      this.runOnce().catch(() => undefined);
    }, this.options.settings.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One run over every purge rule; resolves with what each purged. A run already under way is joined, not doubled. */
  runOnce(): Promise<PurgeOutcome[]> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<PurgeOutcome[]> {
    const { schema, settings } = this.options;
    const client = new Client({ connectionString: this.options.connectionString });
    try {
      await client.connect();
      const outcomes = await purgeExpired(client, schema.schema, settings.targets, {
        now: this.options.clock.now(),
        batchSize: settings.batchSize,
        maxBatches: settings.maxBatches,
        ...(this.options.heldSubjects ? { heldSubjects: this.options.heldSubjects } : {}),
      });
      for (const o of outcomes) this.purged.inc({ table: o.table }, o.purged);
      this.runs.inc({ outcome: 'ok' });
      for (const o of outcomes.filter((x) => x.purged > 0 || !x.complete))
        this.logger.log({ msg: 'retention purge', schema: schema.schema, ...o });
      return outcomes;
    } catch (err) {
      this.runs.inc({ outcome: 'failed' });
      this.logger.error({ msg: 'retention run failed', schema: schema.schema, error: (err as Error).message });
      throw err;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

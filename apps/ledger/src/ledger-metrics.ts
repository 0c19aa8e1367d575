import { Metrics } from '@aal/service-kit';
import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { DataSource } from 'typeorm';

/** What an operator watches on the ledger: intake outcomes, log size, checkpoint age, projection lag. */
@Injectable()
export class LedgerMetrics {
  readonly appended: Counter;
  readonly duplicates: Counter;
  readonly deadLettered: Counter;

  constructor(metrics: Metrics, dataSource: DataSource) {
    this.appended = metrics.counter('ledger_entries_appended_total', 'Entries appended to the log.');
    this.duplicates = metrics.counter('ledger_duplicates_total', 'Redelivered or re-sent events recognised and not appended again.');
    this.deadLettered = metrics.counter('ledger_dead_letters_total', 'Messages refused and sent to the dead-letter topic.');
    const one = async (sql: string) => Number(((await dataSource.query(sql)) as Array<{ n: string | number | null }>)[0]?.n ?? 0);
    metrics.gauge('ledger_tree_size', 'Entries in the log.', () => one('SELECT coalesce(max(seq) + 1, 0) AS n FROM ledger.entries'));
    metrics.gauge('ledger_checkpoint_size', 'Tree size of the latest signed checkpoint.', () =>
      one('SELECT coalesce(max(tree_size), 0) AS n FROM ledger.checkpoints'),
    );
    metrics.gauge('ledger_checkpoint_age_seconds', 'Age of the latest signed checkpoint.', () =>
      one('SELECT coalesce(extract(epoch FROM now() - max(created_at)), 0)::float AS n FROM ledger.checkpoints'),
    );
    metrics.gauge('ledger_projection_lag_entries', 'Entries the facts projection has not processed yet.', () =>
      one(
        `SELECT coalesce((SELECT max(seq) + 1 FROM ledger.entries), 0) - coalesce((SELECT next_seq FROM ledger.projection_positions WHERE projection = 'facts'), 0) AS n`,
      ),
    );
  }
}

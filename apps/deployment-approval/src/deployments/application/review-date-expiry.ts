import { CLOCK, type Clock } from '@aal/service-kit';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { LIVE } from '../domain/deployment.decider';
import { DEPLOYMENT_AGGREGATE, ExecuteDeploymentCommand } from './execute-deployment-command.handler';

/** Who the ledger shows as having expired a deployment: the service itself, on the review date. */
export const REVIEW_DATE_ACTOR_PERSON = 'psn_aal-review-date';

export const EXPIRY_SWEEP_INTERVAL_MS = Symbol('EXPIRY_SWEEP_INTERVAL_MS');

/**
 * Expires every approved, active or suspended deployment whose review date has come, so an approval
 * never silently outlives its review: the same `ExpireDeployment` command the employer can send,
 * issued by the service as a `system` actor of the employer's organisation.
 */
@Injectable()
export class ReviewDateExpiry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReviewDateExpiry');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly dataSource: DataSource,
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EXPIRY_SWEEP_INTERVAL_MS) private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Expires what is due now; returns how many deployments it expired. Serialised. */
  sweep(): Promise<number> {
    this.running = this.running
      .then(() => this.expireDue())
      .catch((err: unknown) => {
        this.logger.error({ msg: 'review-date sweep failed', error: (err as Error).message });
        return 0;
      });
    return this.running;
  }

  private async expireDue(): Promise<number> {
    const now = this.clock.now();
    const today = now.toISOString().slice(0, 10);
    const due: Array<{ aggregate_id: string; organisation_id: string }> = await this.dataSource.query(
      `SELECT aggregate_id, organisation_id FROM deployment_approval.aggregates
        WHERE aggregate_type = $1 AND state->>'status' = ANY($3::text[]) AND state->>'reviewDate' <= $2
        ORDER BY aggregate_id LIMIT 500`,
      [DEPLOYMENT_AGGREGATE, today, LIVE],
    );
    let expired = 0;
    for (const row of due) {
      try {
        await this.commands.execute(
          new ExecuteDeploymentCommand({
            kind: 'ExpireDeployment',
            deploymentId: row.aggregate_id,
            actor: { organisationId: row.organisation_id, personId: REVIEW_DATE_ACTOR_PERSON, role: 'system' },
            occurredAt: now.toISOString(),
          }),
        );
        expired += 1;
      } catch (err) {
        // Another writer changed it first (revoked, expired by hand): the next sweep re-reads.
        this.logger.warn({ msg: 'could not expire deployment', deploymentId: row.aggregate_id, error: (err as Error).message });
      }
    }
    if (expired > 0) this.logger.log({ msg: 'deployments expired at their review date', count: expired });
    return expired;
  }
}

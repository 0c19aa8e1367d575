import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEPLOYMENT_APPROVAL_SCHEMA } from '../../database/deployment-approval.schema';
import type { TrainingState } from '../domain/training.types';
import { TRAINING_AGGREGATE } from '../application/execute-training-command.handler';

export interface TrainingRecordFilter {
  readonly professionalId?: string;
  readonly employerId?: string;
  readonly deploymentId?: string;
  readonly limit: number;
  readonly offset: number;
}

/**
 * Finds training records by what is inside them (professional, deployment), which the shared
 * aggregate store cannot filter on. Reads the same `aggregates` table the store writes.
 */
@Injectable()
export class TrainingRecordSearch {
  private readonly table = `${DEPLOYMENT_APPROVAL_SCHEMA.schema}.aggregates`;

  constructor(private readonly dataSource: DataSource) {}

  async find(filter: TrainingRecordFilter): Promise<Array<{ state: TrainingState; version: number }>> {
    const params: unknown[] = [TRAINING_AGGREGATE];
    const where = ['aggregate_type = $1'];
    // Only the filters given become conditions, so the partial index on professionalId is usable.
    const add = (sql: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      where.push(`${sql} = $${params.length}`);
    };
    add(`state->>'professionalId'`, filter.professionalId);
    add('organisation_id', filter.employerId);
    add(`state->>'deploymentId'`, filter.deploymentId);
    params.push(filter.limit, filter.offset);
    return this.dataSource.query(
      `SELECT state, version FROM ${this.table} WHERE ${where.join(' AND ')}
        ORDER BY created_at, aggregate_id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
  }
}

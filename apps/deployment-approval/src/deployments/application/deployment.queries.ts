import { subjectOf } from '@aal/contracts';
import { AggregateStore } from '@aal/service-kit';
import { Injectable } from '@nestjs/common';
import { deploymentErrors } from '../domain/deployment.errors';
import type { DeploymentState } from '../domain/deployment.types';
import { DEPLOYMENT_AGGREGATE } from './execute-deployment-command.handler';

@Injectable()
export class DeploymentQueries {
  constructor(private readonly store: AggregateStore) {}

  /** The deployment's current state, its revision and every event it emitted, oldest first. */
  async get(deploymentId: string) {
    const found = await this.store.find<DeploymentState>(DEPLOYMENT_AGGREGATE, deploymentId);
    if (!found || found.state.status === 'none') throw deploymentErrors.notFound(deploymentId);
    const history = await this.store.history(subjectOf('deployment', deploymentId));
    return { ...found.state, revision: found.version, history };
  }

  async list(filter: { employerId?: string; limit: number; offset: number }) {
    const rows = await this.store.list<DeploymentState>(DEPLOYMENT_AGGREGATE, {
      organisationId: filter.employerId,
      limit: filter.limit,
      offset: filter.offset,
    });
    // Only requested deployments are ever stored; the filter tells the compiler so.
    const items = rows.flatMap((r) => (r.state.status === 'none' ? [] : [{ ...r.state, revision: r.version }]));
    return { items, limit: filter.limit, offset: filter.offset };
  }
}

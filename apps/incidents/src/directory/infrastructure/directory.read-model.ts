import type { IncidentAbout } from '@aal/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { INCIDENTS_SCHEMA } from '../../database/incidents.schema';

const SCHEMA = INCIDENTS_SCHEMA.schema;

/**
 * What the directory knows of the deployment an incident arose in: its deployer, model, version
 * and the version's vendor (the provider); null when it knows none (yet). Eventually consistent
 * with model-registry and deployment-approval.
 */
@Injectable()
export class Directory {
  constructor(private readonly dataSource: DataSource) {}

  async deployment(deploymentId: string): Promise<IncidentAbout | null> {
    const rows: Array<{ employer_id: string; model_id: string; version_id: string; vendor_id: string }> = await this.dataSource.query(
      `SELECT d.employer_id, d.model_id, d.version_id, v.vendor_id
         FROM ${SCHEMA}.deployments d JOIN ${SCHEMA}.model_versions v ON v.version_id = d.version_id
        WHERE d.deployment_id = $1`,
      [deploymentId],
    );
    const row = rows[0];
    return row
      ? { deploymentId, deployerId: row.employer_id, modelId: row.model_id, versionId: row.version_id, vendorId: row.vendor_id }
      : null;
  }
}

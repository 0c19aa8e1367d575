import type { ConcernAbout } from '@aal/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestedAbout } from '../../concerns/domain/concern.types';
import { CONCERNS_SCHEMA } from '../../database/concerns.schema';

const SCHEMA = CONCERNS_SCHEMA.schema;

/**
 * What the directory knows of a version or a deployment a concern names: its model, its vendor
 * and (for a deployment) its employer; null when it knows none (yet). Eventually consistent with
 * model-registry and deployment-approval: something released or requested a moment ago may be missing.
 */
@Injectable()
export class Directory {
  constructor(private readonly dataSource: DataSource) {}

  async resolve(requested: RequestedAbout): Promise<ConcernAbout | null> {
    if (requested.kind === 'model-version') {
      const rows: Array<{ model_id: string; vendor_id: string }> = await this.dataSource.query(
        `SELECT model_id, vendor_id FROM ${SCHEMA}.model_versions WHERE version_id = $1`,
        [requested.versionId],
      );
      const row = rows[0];
      return row ? { kind: 'model-version', modelId: row.model_id, versionId: requested.versionId, vendorId: row.vendor_id } : null;
    }
    const rows: Array<{ employer_id: string; model_id: string; version_id: string; vendor_id: string }> = await this.dataSource.query(
      `SELECT d.employer_id, d.model_id, d.version_id, v.vendor_id
         FROM ${SCHEMA}.deployments d JOIN ${SCHEMA}.model_versions v ON v.version_id = d.version_id
        WHERE d.deployment_id = $1`,
      [requested.deploymentId],
    );
    const row = rows[0];
    return row
      ? {
          kind: 'deployment',
          deploymentId: requested.deploymentId,
          employerId: row.employer_id,
          modelId: row.model_id,
          versionId: row.version_id,
          vendorId: row.vendor_id,
        }
      : null;
  }
}

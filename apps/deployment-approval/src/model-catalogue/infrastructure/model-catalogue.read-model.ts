import type { AgeBand, CodedContraindication } from '@aal/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { VersionCatalogueFacts } from '../../deployments/domain/deployment.types';

const SCHEMA = 'deployment_approval';

interface VersionRow {
  version_id: string;
  model_id: string;
  vendor_id: string;
  version: string;
  status: 'released' | 'withdrawn';
  released_at: Date;
  withdrawn_at: Date | null;
  /** NULL for versions released with model.version.released v1 (wording only). */
  contraindications: CodedContraindication[] | null;
  intended_age_bands: AgeBand[] | null;
}

interface NoticeRow {
  notice_id: string;
  model_id: string;
  severity: VersionCatalogueFacts['notices'][number]['severity'];
  affected_version_ids: string[];
  issued_at: Date;
  resolved_at: Date | null;
}

/** The model catalogue as far as this service knows it; written only by the catalogue consumer. */
@Injectable()
export class ModelCatalogueReadModel {
  constructor(private readonly dataSource: DataSource) {}

  /** The facts the deployment decider needs about one version, read outside any command transaction. */
  async factsFor(versionId: string, db: EntityManager = this.dataSource.manager): Promise<VersionCatalogueFacts> {
    const [versions, notices] = await Promise.all([
      db.query(`SELECT * FROM ${SCHEMA}.model_versions WHERE version_id = $1`, [versionId]) as Promise<VersionRow[]>,
      this.noticesAffecting(versionId, db),
    ]);
    const v = versions[0];
    return {
      version: v
        ? { versionId: v.version_id, modelId: v.model_id, status: v.status, withdrawnAt: iso(v.withdrawn_at), population: population(v) }
        : null,
      notices: notices.map((n) => ({
        noticeId: n.notice_id,
        severity: n.severity,
        affectedVersionIds: n.affected_version_ids,
        resolvedAt: iso(n.resolved_at),
      })),
    };
  }

  /** One version with every notice naming it, for `GET /model-catalogue/versions/:versionId`; null when unknown. */
  async version(versionId: string) {
    const rows: VersionRow[] = await this.dataSource.query(`SELECT * FROM ${SCHEMA}.model_versions WHERE version_id = $1`, [versionId]);
    const v = rows[0];
    if (!v) return null;
    const notices = await this.noticesAffecting(versionId, this.dataSource.manager);
    return {
      versionId: v.version_id,
      modelId: v.model_id,
      vendorId: v.vendor_id,
      version: v.version,
      status: v.status,
      releasedAt: iso(v.released_at),
      withdrawnAt: iso(v.withdrawn_at),
      population: population(v),
      safetyNotices: notices.map((n) => ({
        noticeId: n.notice_id,
        severity: n.severity,
        affectedVersionIds: n.affected_version_ids,
        issuedAt: iso(n.issued_at),
        resolvedAt: iso(n.resolved_at),
      })),
    };
  }

  private noticesAffecting(versionId: string, db: EntityManager): Promise<NoticeRow[]> {
    return db.query(
      `SELECT notice_id, model_id, severity, affected_version_ids::text[] AS affected_version_ids, issued_at, resolved_at
         FROM ${SCHEMA}.safety_notices WHERE affected_version_ids @> ARRAY[$1::uuid] ORDER BY issued_at, notice_id`,
      [versionId],
    );
  }
}

function population(v: VersionRow): NonNullable<VersionCatalogueFacts['version']>['population'] {
  return v.contraindications === null || v.intended_age_bands === null
    ? null
    : { contraindications: v.contraindications, ageBands: v.intended_age_bands };
}

function iso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

import type {
  CloudEvent,
  EventData,
  ModelSafetyNoticeIssuedV1,
  ModelSafetyNoticeResolvedV1,
  ModelVersionReleasedV1,
  ModelVersionReleasedV2,
  ModelVersionWithdrawnV1,
} from '@aal/contracts';
import type { EntityManager } from 'typeorm';

const SCHEMA = 'deployment_approval';

export type CatalogueChange = 'applied' | 'unchanged' | 'ignored';

/**
 * Applies one valid model-registry event to the catalogue tables. Every statement is idempotent and
 * monotone: a release is inserted once (released facts never change), a withdrawal or a resolution
 * only moves a row forward once, so a redelivered event (or a replayed batch) changes nothing.
 * Events of one model share a Kafka key and so arrive in order; one that names a row not yet known
 * (which that order rules out) is left unapplied and reported as 'unchanged'.
 */
export async function applyCatalogueEvent(db: EntityManager, event: CloudEvent<unknown>): Promise<CatalogueChange> {
  switch (event.type) {
    case 'aal.model.version.released.v1':
    case 'aal.model.version.released.v2': {
      const d = event.data as EventData<typeof ModelVersionReleasedV1> | EventData<typeof ModelVersionReleasedV2>;
      // v1 states its contraindications as wording only: nothing coded to check a scope against (NULL).
      const coded = 'intendedPopulation' in d ? { contraindications: d.contraindications, ageBands: d.intendedPopulation.ageBands } : null;
      return changed(
        await db.query(
          `INSERT INTO ${SCHEMA}.model_versions
             (version_id, model_id, vendor_id, version, status, released_at, last_event_id, contraindications, intended_age_bands)
           VALUES ($1, $2, $3, $4, 'released', $5, $6, $7::jsonb, $8::text[]) ON CONFLICT (version_id) DO NOTHING RETURNING version_id`,
          [
            d.versionId,
            d.modelId,
            d.vendorId,
            d.version,
            event.time,
            event.id,
            coded ? JSON.stringify(coded.contraindications) : null,
            coded ? coded.ageBands : null,
          ],
        ),
      );
    }
    case 'aal.model.version.withdrawn.v1': {
      const d = event.data as EventData<typeof ModelVersionWithdrawnV1>;
      return changed(
        await db.query(
          `UPDATE ${SCHEMA}.model_versions SET status = 'withdrawn', withdrawn_at = $2, last_event_id = $3
            WHERE version_id = $1 AND status = 'released' RETURNING version_id`,
          [d.versionId, d.effectiveAt, event.id],
        ),
      );
    }
    case 'aal.model.safety-notice.issued.v1': {
      const d = event.data as EventData<typeof ModelSafetyNoticeIssuedV1>;
      return changed(
        await db.query(
          `INSERT INTO ${SCHEMA}.safety_notices (notice_id, model_id, severity, affected_version_ids, issued_at, last_event_id)
           VALUES ($1, $2, $3, $4::uuid[], $5, $6) ON CONFLICT (notice_id) DO NOTHING RETURNING notice_id`,
          [d.noticeId, d.modelId, d.severity, d.affectedVersionIds, event.time, event.id],
        ),
      );
    }
    case 'aal.model.safety-notice.resolved.v1': {
      const d = event.data as EventData<typeof ModelSafetyNoticeResolvedV1>;
      return changed(
        await db.query(
          `UPDATE ${SCHEMA}.safety_notices SET resolved_at = $2, last_event_id = $3
            WHERE notice_id = $1 AND resolved_at IS NULL RETURNING notice_id`,
          [d.noticeId, event.time, event.id],
        ),
      );
    }
    default:
      // model.registered carries nothing the deployment rules need.
      return 'ignored';
  }
}

/** TypeORM answers an INSERT … RETURNING with rows and an UPDATE … RETURNING with [rows, count]. */
function changed(result: unknown): CatalogueChange {
  const rows = Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as unknown[]) : (result as unknown[]);
  return rows.length > 0 ? 'applied' : 'unchanged';
}

import type { EntityManager } from 'typeorm';
import type { MandateState } from '../domain/mandate.decider';

/** The aggregate type mandates are stored under, beside cases, in the ledger's aggregate table. */
export const MANDATE_AGGREGATE = 'mandate';

/**
 * Lookups over the mandates' stored states (the write model the mandate decider keeps, one row
 * per mandate, whose every change is also an event in the log). Read-only.
 */
export class MandatesRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Every mandate given to `investigatingOrganisationId`, in force or not, oldest first. */
  async givenTo(investigatingOrganisationId: string): Promise<MandateState[]> {
    const rows: Array<{ state: MandateState }> = await this.manager.query(
      `SELECT state FROM ledger.aggregates WHERE aggregate_type = $1 AND state->>'investigatingOrganisationId' = $2 ORDER BY created_at, aggregate_id`,
      [MANDATE_AGGREGATE, investigatingOrganisationId],
    );
    return rows.map((r) => r.state);
  }

  /** Mandates an organisation granted, was given, or that cover its records: oldest first. */
  async concerning(organisationId: string, page: { limit: number; offset: number }): Promise<MandateState[]> {
    const rows: Array<{ state: MandateState }> = await this.manager.query(
      `SELECT state FROM ledger.aggregates
        WHERE aggregate_type = $1 AND (organisation_id = $2 OR state->>'investigatingOrganisationId' = $2 OR state->>'organisationId' = $2)
        ORDER BY created_at, aggregate_id LIMIT $3 OFFSET $4`,
      [MANDATE_AGGREGATE, organisationId, page.limit, page.offset],
    );
    return rows.map((r) => r.state);
  }
}

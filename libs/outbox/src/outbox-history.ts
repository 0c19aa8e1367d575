import { fromBinaryMessage, type CloudEvent } from '@aal/contracts';
import type { EntityManager } from 'typeorm';

/**
 * Every event the service emitted about `subject`, oldest first, read back from its outbox (rows
 * are kept after publishing). Runs in the caller's transaction when given its manager.
 */
export async function outboxHistory(manager: EntityManager, schema: string, subject: string): Promise<CloudEvent<unknown>[]> {
  const rows: Array<{ headers: Record<string, string>; payload: string }> = await manager.query(
    `SELECT headers, payload FROM ${schema}.outbox WHERE message_key = $1 ORDER BY id`,
    [subject],
  );
  return rows.map((r) => {
    const decoded = fromBinaryMessage(r.headers, r.payload);
    // Rows are written from validated events, so this only fails if the table was edited by hand.
    if (!decoded.ok) throw new Error(`outbox row for ${subject} is not a CloudEvent: ${JSON.stringify(decoded.issues)}`);
    return decoded.event;
  });
}

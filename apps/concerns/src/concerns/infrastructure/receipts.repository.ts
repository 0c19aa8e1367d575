import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CONCERNS_SCHEMA } from '../../database/concerns.schema';

const TABLE = `${CONCERNS_SCHEMA.schema}.receipts`;

/** The SHA-256 of a receipt code: all the service keeps of it. */
export function receiptHash(code: string): Buffer {
  return createHash('sha256').update(code, 'utf8').digest();
}

/** Records a concern's receipt (its code's hash) inside the transaction that raises the concern. */
export async function storeReceipt(db: EntityManager, code: string, concernId: string): Promise<void> {
  await db.query(`INSERT INTO ${TABLE} (code_sha256, concern_id) VALUES ($1, $2)`, [receiptHash(code), concernId]);
}

/** The concern a receipt code opens, or null when no receipt has this code. */
export async function concernOfReceipt(db: EntityManager, code: string): Promise<string | null> {
  const rows: Array<{ concern_id: string }> = await db.query(`SELECT concern_id FROM ${TABLE} WHERE code_sha256 = $1`, [receiptHash(code)]);
  return rows[0]?.concern_id ?? null;
}

/**
 * Where a batch of one partition stands against the ledger's stored position for it (the next
 * offset the ledger has not applied). The ledger's own record is authoritative, not Kafka's
 * committed offset: after PostgreSQL is restored to an earlier point, Kafka may deliver from
 * beyond the restored position, and appending that batch would leave the messages in between
 * out of the log for good, without an error.
 */
export type BatchPlacement =
  /** Every message is below the stored position: already applied. */
  | { readonly kind: 'applied' }
  /** Messages from `fromIndex` on are the next ones to apply; those before it are already applied. */
  | { readonly kind: 'fresh'; readonly fromIndex: number }
  /**
   * The batch starts beyond the stored position: nothing may be applied, and the partition is
   * to be read again from `seekTo`. `firstOffset` is the evidence (the batch's first fresh offset).
   */
  | { readonly kind: 'gap'; readonly seekTo: bigint; readonly firstOffset: bigint };

/** `offsets` are the batch's message offsets, ascending (as Kafka delivers them). */
export function placeBatch(storedNext: bigint, offsets: readonly bigint[]): BatchPlacement {
  const fromIndex = offsets.findIndex((o) => o >= storedNext);
  if (fromIndex === -1) return { kind: 'applied' };
  const first = offsets[fromIndex]!;
  if (first > storedNext) return { kind: 'gap', seekTo: storedNext, firstOffset: first };
  return { kind: 'fresh', fromIndex };
}

/** Published on the CQRS event bus after a batch of entries is committed to the log. */
export class EntriesAppended {
  constructor(
    readonly firstSeq: number,
    readonly count: number,
  ) {}
}

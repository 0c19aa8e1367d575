import {
  cosignCheckpoint,
  decideAddCheckpoint,
  type NoteSigner,
  type WitnessDecision,
  type WitnessedCheckpoint,
  type WitnessedLog,
} from '@aal/ledger-core';
import { saveWitnessState } from './state-file';

export interface WitnessAnswer {
  readonly decision: WitnessDecision;
  /** The cosignature line, only for `cosign`. */
  readonly cosignature?: string;
}

/**
 * One witness: its key, the logs it follows and its state. `addCheckpoint` runs one request at a
 * time (a promise chain as mutex): the check against the held size, the durable write of the new
 * size and the answer are one step, so two concurrent requests can never both pass against the
 * same old state (the race C2SP tlog-witness describes), writes land on disk in order, and no
 * cosignature leaves before its state is stored. A failed write restores the state held before.
 */
export class Witness {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly signer: NoteSigner,
    private readonly logs: readonly WitnessedLog[],
    private readonly state: Map<string, WitnessedCheckpoint>,
    private readonly statePath: string,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  addCheckpoint(body: string): Promise<WitnessAnswer> {
    const run = this.queue.then(() => this.decideAndStore(body));
    this.queue = run.catch(() => undefined);
    return run;
  }

  held(origin: string): WitnessedCheckpoint | undefined {
    return this.state.get(origin);
  }

  private async decideAndStore(body: string): Promise<WitnessAnswer> {
    const decision = decideAddCheckpoint(this.logs, (origin) => this.state.get(origin), body);
    if (decision.kind !== 'cosign') return { decision };
    const previous = this.state.get(decision.origin);
    this.state.set(decision.origin, decision.next);
    try {
      await saveWitnessState(this.statePath, this.state);
    } catch (err) {
      if (previous === undefined) this.state.delete(decision.origin);
      else this.state.set(decision.origin, previous);
      throw err;
    }
    return { decision, cosignature: cosignCheckpoint(decision.body, this.signer, this.now()) };
  }
}

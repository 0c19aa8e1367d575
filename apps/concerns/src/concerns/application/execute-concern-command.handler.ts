import { AggregateStore, runDecider, type DeciderRun } from '@aal/service-kit';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { Directory } from '../../directory/infrastructure/directory.read-model';
import { concernDecider } from '../domain/concern.decider';
import type { AcknowledgeConcern, AnswerConcern, ConcernEvent, ConcernState, RaiseConcern } from '../domain/concern.types';
import { storeReceipt } from '../infrastructure/receipts.repository';

export const CONCERN_AGGREGATE = 'concern';

/** 32 random bytes, base64url: 256 bits, so a receipt code cannot be guessed. */
export const newReceiptCode = (): string => randomBytes(32).toString('base64url');

/** Raises a concern; the handler resolves what it is about from the directory, which the decider checks. */
export class RaiseConcernCommand {
  constructor(readonly command: Omit<RaiseConcern, 'about'>) {}
}

/** Acknowledges or answers a concern for the caller's organisation. */
export class RespondToConcernCommand {
  constructor(readonly command: AcknowledgeConcern | AnswerConcern) {}
}

export type ConcernRun = DeciderRun<ConcernState, ConcernEvent>;

@CommandHandler(RaiseConcernCommand)
export class RaiseConcernHandler implements ICommandHandler<RaiseConcernCommand, ConcernRun & { receiptCode: string }> {
  constructor(
    private readonly store: AggregateStore,
    private readonly directory: Directory,
  ) {}

  async execute({ command }: RaiseConcernCommand) {
    // Read outside the concern's transaction: a version's vendor and a deployment's employer and
    // version never change, so this answer cannot go stale.
    const about = await this.directory.resolve(command.requested);
    const receiptCode = newReceiptCode();
    // The receipt commits with the concern and its event, or not at all.
    const run = await this.store.transact(async (tx) => {
      const decided = await runDecider(
        tx,
        concernDecider,
        { type: CONCERN_AGGREGATE, id: command.concernId, organisationId: command.actor.organisationId },
        { ...command, about },
      );
      await storeReceipt(tx.manager, receiptCode, command.concernId);
      return decided;
    });
    return { ...run, receiptCode };
  }
}

@CommandHandler(RespondToConcernCommand)
export class RespondToConcernHandler implements ICommandHandler<RespondToConcernCommand, ConcernRun> {
  constructor(private readonly store: AggregateStore) {}

  execute({ command }: RespondToConcernCommand) {
    // The intake organisation stays the row's owner; the decider checks the caller is an addressee.
    return runDecider(this.store, concernDecider, { type: CONCERN_AGGREGATE, id: command.concernId, organisationId: '' }, command);
  }
}

import { AggregateStore, runDecider, type DeciderRun } from '@aal/service-kit';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { outputDecider } from '../domain/output.decider';
import type { OutputCommand, OutputEvent, OutputState } from '../domain/output.types';

export const OUTPUT_AGGREGATE = 'output';

const UNIQUE_VIOLATION = '23505';

type OutputRun = DeciderRun<OutputState, OutputEvent>;

/** Any report about one output, including an instruction that names it. */
export class ExecuteOutputCommand extends Command<OutputRun> {
  constructor(readonly command: OutputCommand) {
    super();
  }
}

/** TypeORM's QueryFailedError carries the PostgreSQL SQLSTATE as `code` (and on `driverError`). */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } } | null;
  return e?.code === UNIQUE_VIOLATION || e?.driverError?.code === UNIQUE_VIOLATION;
}

@CommandHandler(ExecuteOutputCommand)
export class ExecuteOutputCommandHandler implements ICommandHandler<ExecuteOutputCommand, OutputRun> {
  constructor(private readonly store: AggregateStore) {}

  async execute({ command }: ExecuteOutputCommand): Promise<OutputRun> {
    const { outputId, organisationId } = command.facts;
    // The CloudEvent time is when the fact happened, as reported; not when it reached us.
    const run = () =>
      runDecider(this.store, outputDecider, { type: OUTPUT_AGGREGATE, id: outputId, organisationId, time: command.occurredAt }, command);
    try {
      return await run();
    } catch (err) {
      // Output ids are chosen by the clinical system, so a report and its retry can race to
      // create the same output: there is no row to lock yet and the loser's insert hits the
      // primary key. Deciding again sees the winner's output: a retry (no events) or a conflict.
      if (isUniqueViolation(err)) return run();
      throw err;
    }
  }
}

import { AggregateStore, runDecider } from '@aal/service-kit';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { modelDecider } from '../domain/model.decider';
import type { ModelCommand, ModelEvent, ModelState } from '../domain/model.types';

export const MODEL_AGGREGATE = 'model';

/** Any command on one model aggregate; its `occurredAt` is also the CloudEvent time. */
export class ExecuteModelCommand {
  constructor(readonly command: ModelCommand) {}
}

@CommandHandler(ExecuteModelCommand)
export class ExecuteModelCommandHandler implements ICommandHandler<ExecuteModelCommand, { state: ModelState; events: ModelEvent[] }> {
  constructor(private readonly store: AggregateStore) {}

  execute({ command }: ExecuteModelCommand) {
    return runDecider(
      this.store,
      modelDecider,
      { type: MODEL_AGGREGATE, id: command.modelId, organisationId: command.actor.organisationId },
      command,
    );
  }
}

import { AggregateStore, runDecider } from '@aal/service-kit';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DEPLOYMENT_AGGREGATE } from '../../deployments/application/execute-deployment-command.handler';
import { trainingDecider } from '../domain/training.decider';
import type { TrainingCommand, TrainingEvent, TrainingState } from '../domain/training.types';

export const TRAINING_AGGREGATE = 'training';

/** Records a training; the handler looks up the deployment it is for, which the decider checks. */
export class ExecuteTrainingCommand {
  constructor(readonly command: Omit<TrainingCommand, 'deployment'>) {}
}

@CommandHandler(ExecuteTrainingCommand)
export class ExecuteTrainingCommandHandler
  implements ICommandHandler<ExecuteTrainingCommand, { state: TrainingState; events: TrainingEvent[] }>
{
  constructor(private readonly store: AggregateStore) {}

  async execute({ command }: ExecuteTrainingCommand) {
    // Read outside the training's transaction: a deployment's employer never changes and a
    // deployment, once requested, never disappears, so this answer cannot go stale.
    const deployment = await this.store.find(DEPLOYMENT_AGGREGATE, command.deploymentId);
    return runDecider(
      this.store,
      trainingDecider,
      { type: TRAINING_AGGREGATE, id: command.trainingId, organisationId: command.actor.organisationId },
      { ...command, deployment: deployment ? { employerId: deployment.organisationId } : null },
    );
  }
}

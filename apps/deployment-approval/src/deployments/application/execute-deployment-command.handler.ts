import { AggregateStore, runDecider } from '@aal/service-kit';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { deploymentDecider } from '../domain/deployment.decider';
import type { DeploymentCommand, DeploymentEvent, DeploymentState } from '../domain/deployment.types';

export const DEPLOYMENT_AGGREGATE = 'deployment';

/** Any command on one deployment aggregate; its `at` is also the CloudEvent time. */
export class ExecuteDeploymentCommand {
  constructor(readonly command: DeploymentCommand) {}
}

@CommandHandler(ExecuteDeploymentCommand)
export class ExecuteDeploymentCommandHandler
  implements ICommandHandler<ExecuteDeploymentCommand, { state: DeploymentState; events: DeploymentEvent[] }>
{
  constructor(private readonly store: AggregateStore) {}

  execute({ command }: ExecuteDeploymentCommand) {
    return runDecider(
      this.store,
      deploymentDecider,
      { type: DEPLOYMENT_AGGREGATE, id: command.deploymentId, organisationId: command.actor.organisationId, time: command.at },
      command,
    );
  }
}

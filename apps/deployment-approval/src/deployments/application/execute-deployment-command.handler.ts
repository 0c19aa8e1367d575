import { AggregateStore, runDecider } from '@aal/service-kit';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ModelCatalogueReadModel } from '../../model-catalogue/infrastructure/model-catalogue.read-model';
import { deploymentDecider } from '../domain/deployment.decider';
import {
  CATALOGUE_CHECKED_COMMANDS,
  type DeploymentCommand,
  type DeploymentCommandInput,
  type DeploymentEvent,
  type DeploymentState,
  type VersionCatalogueFacts,
} from '../domain/deployment.types';

export const DEPLOYMENT_AGGREGATE = 'deployment';

const NOTHING_KNOWN: VersionCatalogueFacts = { version: null, notices: [] };

/** Any command on one deployment aggregate; its `occurredAt` is also the CloudEvent time. */
export class ExecuteDeploymentCommand {
  constructor(readonly command: DeploymentCommandInput) {}
}

@CommandHandler(ExecuteDeploymentCommand)
export class ExecuteDeploymentCommandHandler
  implements ICommandHandler<ExecuteDeploymentCommand, { state: DeploymentState; events: DeploymentEvent[] }>
{
  constructor(
    private readonly store: AggregateStore,
    private readonly catalogue: ModelCatalogueReadModel,
  ) {}

  async execute({ command: input }: ExecuteDeploymentCommand) {
    const command = await this.withCatalogueFacts(input);
    return runDecider(
      this.store,
      deploymentDecider,
      { type: DEPLOYMENT_AGGREGATE, id: command.deploymentId, organisationId: command.actor.organisationId },
      command,
    );
  }

  /**
   * Adds what the model catalogue knows about the deployment's version to commands that put it into
   * use. The version is read before the command's transaction: a deployment's version never changes
   * after the request, and the catalogue is eventually consistent with model-registry anyway.
   */
  private async withCatalogueFacts(input: DeploymentCommandInput): Promise<DeploymentCommand> {
    if (!(CATALOGUE_CHECKED_COMMANDS as readonly string[]).includes(input.kind)) return input as DeploymentCommand;
    const found = await this.store.find<DeploymentState>(DEPLOYMENT_AGGREGATE, input.deploymentId);
    // An unknown deployment is refused by the decider before it looks at the catalogue.
    const catalogue = found && found.state.status !== 'none' ? await this.catalogue.factsFor(found.state.versionId) : NOTHING_KNOWN;
    return { ...input, catalogue } as DeploymentCommand;
  }
}

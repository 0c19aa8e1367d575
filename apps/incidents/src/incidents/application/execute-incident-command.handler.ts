import { AggregateStore, runDecider, type DeciderRun } from '@aal/service-kit';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Directory } from '../../directory/infrastructure/directory.read-model';
import { incidentDecider } from '../domain/incident.decider';
import type { ClassifyIncident, IncidentCommand, IncidentEvent, IncidentState } from '../domain/incident.types';

export const INCIDENT_AGGREGATE = 'incident';

export type IncidentRun = DeciderRun<IncidentState, IncidentEvent>;

/** Classifies an incident; the handler resolves its deployment from the directory, which the decider checks. */
export class ClassifyIncidentCommand {
  constructor(readonly command: Omit<ClassifyIncident, 'about'>) {}
}

/** Any later record: the deployer's notice to the provider, the provider's awareness and its reports. */
export class RecordIncidentCommand {
  constructor(readonly command: Exclude<IncidentCommand, ClassifyIncident>) {}
}

@CommandHandler(ClassifyIncidentCommand)
export class ClassifyIncidentHandler implements ICommandHandler<ClassifyIncidentCommand, IncidentRun> {
  constructor(
    private readonly store: AggregateStore,
    private readonly directory: Directory,
  ) {}

  async execute({ command }: ClassifyIncidentCommand) {
    // Read outside the incident's transaction: a deployment's deployer and version never change.
    const about = await this.directory.deployment(command.deploymentId);
    return runDecider(
      this.store,
      incidentDecider,
      { type: INCIDENT_AGGREGATE, id: command.incidentId, organisationId: command.actor.organisationId },
      { ...command, about },
    );
  }
}

@CommandHandler(RecordIncidentCommand)
export class RecordIncidentHandler implements ICommandHandler<RecordIncidentCommand, IncidentRun> {
  constructor(private readonly store: AggregateStore) {}

  execute({ command }: RecordIncidentCommand) {
    // The deployer stays the row's owner; the decider checks who may record what.
    return runDecider(this.store, incidentDecider, { type: INCIDENT_AGGREGATE, id: command.incidentId, organisationId: '' }, command);
  }
}

import { AggregateStore, runDecider, type DeciderRun } from '@aal/service-kit';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { incidentDecider } from '../domain/incident.decider';
import type { IncidentCommand, IncidentEvent, IncidentState } from '../domain/incident.types';

export const INCIDENT_AGGREGATE = 'incident';

type IncidentRun = DeciderRun<IncidentState, IncidentEvent>;

export class ExecuteIncidentCommand extends Command<IncidentRun> {
  constructor(readonly command: IncidentCommand) {
    super();
  }
}

@CommandHandler(ExecuteIncidentCommand)
export class ExecuteIncidentCommandHandler implements ICommandHandler<ExecuteIncidentCommand, IncidentRun> {
  constructor(private readonly store: AggregateStore) {}

  execute({ command }: ExecuteIncidentCommand): Promise<IncidentRun> {
    const { incidentId, organisationId } = command.facts;
    return runDecider(this.store, incidentDecider, { type: INCIDENT_AGGREGATE, id: incidentId, organisationId, time: command.occurredAt }, command);
  }
}

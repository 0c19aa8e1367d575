import { Injectable } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { CatchUpProjector } from '../../accountability/application/catch-up-projector';
import { EntriesAppended } from '../../intake/application/entries-appended.event';
import { OversightRepository } from '../infrastructure/oversight.repository';
import { applyOversightPage } from './oversight.projection';

/** Keeps the oversight projection (day cells per deployment) up to date from the log. */
@Injectable()
@EventsHandler(EntriesAppended)
export class OversightProjector extends CatchUpProjector implements IEventHandler<EntriesAppended> {
  constructor(private readonly dataSource: DataSource) {
    super('oversight');
  }

  position(): Promise<number> {
    return new OversightRepository(this.dataSource.manager).position();
  }

  protected applyNextPage(): Promise<number | null> {
    return applyOversightPage(this.dataSource);
  }
}

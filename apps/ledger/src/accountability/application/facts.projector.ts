import { Injectable } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { EntriesAppended } from '../../intake/application/entries-appended.event';
import { FactsRepository } from '../infrastructure/facts.repository';
import { CatchUpProjector } from './catch-up-projector';
import { applyNextPage } from './facts.projection';

/** Keeps the facts projection (the index behind accountability answers) up to date from the log. */
@Injectable()
@EventsHandler(EntriesAppended)
export class FactsProjector extends CatchUpProjector implements IEventHandler<EntriesAppended> {
  private readonly repository: FactsRepository;

  constructor(private readonly dataSource: DataSource) {
    super('facts');
    this.repository = new FactsRepository(dataSource);
  }

  position(): Promise<number> {
    return this.repository.position();
  }

  protected applyNextPage(): Promise<number | null> {
    return applyNextPage(this.repository, this.dataSource);
  }
}

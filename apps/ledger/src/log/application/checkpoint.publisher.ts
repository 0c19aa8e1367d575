import { nodesForRoot, rootFromNodes, signCheckpoint } from '@aal/ledger-core';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { EntriesAppended } from '../../intake/application/entries-appended.event';
import { LogRepository } from '../infrastructure/log.repository';
import type { CheckpointSettings } from '../domain/signing-config';
import { CheckpointRepository, type StoredCheckpoint } from '../infrastructure/checkpoint.repository';
import { TreeRepository } from '../infrastructure/tree.repository';

export const CHECKPOINT_SETTINGS = Symbol('CHECKPOINT_SETTINGS');

/**
 * Signs a checkpoint (C2SP tlog-checkpoint) whenever the tree has grown: soon after each appended
 * batch, at most one per `minIntervalMs`, and on an idle timer that catches anything missed. A
 * checkpoint is computed under the append lock, from the stored tree, so it always commits to
 * exactly the entries of its size. Every checkpoint is kept.
 */
@Injectable()
@EventsHandler(EntriesAppended)
export class CheckpointPublisher implements IEventHandler<EntriesAppended>, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CheckpointPublisher');
  private idleTimer: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private lastPublishedAt = 0;
  private stopped = false;
  lastError: string | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CHECKPOINT_SETTINGS) private readonly settings: CheckpointSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.idleTimer = setInterval(() => void this.publishNow(), this.settings.idleIntervalMs);
    void this.publishNow();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.idleTimer);
    clearTimeout(this.pending);
    await this.running;
  }

  handle(): void {
    if (this.pending || this.stopped) return;
    const wait = Math.max(0, this.lastPublishedAt + this.settings.minIntervalMs - Date.now());
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.publishNow();
    }, wait);
  }

  /** Publishes a checkpoint if the tree grew since the last one; serialised. */
  publishNow(): Promise<StoredCheckpoint | null> {
    if (this.stopped) return Promise.resolve(null);
    const next = this.running.then(() => this.publish());
    this.running = next.catch(() => undefined);
    return next.catch((err: unknown) => {
      this.lastError = (err as Error).message;
      this.logger.error({ msg: 'checkpoint failed', error: this.lastError });
      return null;
    });
  }

  private async publish(): Promise<StoredCheckpoint | null> {
    const published = await this.dataSource.transaction(async (manager) => {
      const log = new LogRepository(manager);
      await log.lockForAppend();
      const checkpoints = new CheckpointRepository(manager);
      const size = (await log.head()).nextSeq;
      const last = await checkpoints.latest();
      if (size === 0 || (last && last.treeSize >= size)) return null;
      const nodes = await new TreeRepository(manager).readNodes(nodesForRoot(size));
      const rootHash = rootFromNodes(size, nodes);
      const { origin, signer, nextSigner } = this.settings;
      const note = signCheckpoint({ origin, size, rootHash, extensions: [] }, signer, ...(nextSigner ? [nextSigner] : []));
      return checkpoints.insert(size, rootHash, note);
    });
    this.lastPublishedAt = Date.now();
    this.lastError = null;
    return published;
  }
}

import { DomainError } from '@aal/domain';
import { buildConsistencyProof, buildInclusionProof, nodeKey, nodesForConsistencyProof, nodesForInclusionProof } from '@aal/ledger-core';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LogRepository } from '../../intake/infrastructure/log.repository';
import { TreeRepository } from '../infrastructure/tree.repository';

const hex = (b: Buffer) => b.toString('hex');

/** Inclusion and consistency proofs, assembled from the stored tree in one consistent snapshot. */
@Injectable()
export class ProofsQuery {
  constructor(private readonly dataSource: DataSource) {}

  async inclusion(seq: number, treeSize: number) {
    return this.snapshot(async (tree, size) => {
      if (treeSize > size) throw beyondLog('treeSize', treeSize, size);
      if (seq >= treeSize) {
        throw new DomainError('PROOF.NOT_IN_TREE', 'invalid', `entry ${seq} is not in a tree of size ${treeSize} (sequence numbers start at 0)`, { seq, treeSize });
      }
      const nodes = await tree.readNodes([{ level: 0, index: seq }, ...nodesForInclusionProof(seq, treeSize)]);
      return {
        seq,
        treeSize,
        leafHash: hex(nodes.get(nodeKey({ level: 0, index: seq }))!),
        proof: buildInclusionProof(seq, treeSize, nodes).map(hex),
      };
    });
  }

  async consistency(from: number, to: number) {
    return this.snapshot(async (tree, size) => {
      if (to > size) throw beyondLog('to', to, size);
      if (from > to) throw new DomainError('PROOF.BAD_RANGE', 'invalid', `from (${from}) must not exceed to (${to})`, { from, to });
      const nodes = await tree.readNodes(nodesForConsistencyProof(from, to));
      return { from, to, proof: buildConsistencyProof(from, to, nodes).map(hex) };
    });
  }

  private snapshot<T>(work: (tree: TreeRepository, size: number) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const size = (await new LogRepository(manager).head()).nextSeq;
      return work(new TreeRepository(manager), size);
    });
  }
}

function beyondLog(field: string, value: number, size: number): DomainError {
  return new DomainError('PROOF.BEYOND_LOG', 'not-found', `${field} ${value} is larger than the log (${size} entries)`, { [field]: value, logSize: size });
}

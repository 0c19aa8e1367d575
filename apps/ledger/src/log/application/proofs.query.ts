import {
  buildConsistencyProof,
  buildInclusionProof,
  nodeKey,
  nodesForConsistencyProof,
  nodesForInclusionProof,
  type NodeId,
} from '@aal/ledger-core';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LogRepository } from '../infrastructure/log.repository';
import { logErrors } from '../domain/log.errors';
import { TreeRepository } from '../infrastructure/tree.repository';

const hex = (b: Buffer) => b.toString('hex');

/** Inclusion and consistency proofs, assembled from the stored tree in one query each. */
@Injectable()
export class ProofsQuery {
  constructor(private readonly dataSource: DataSource) {}

  async inclusion(seq: number, treeSize: number) {
    if (seq >= treeSize) {
      throw logErrors.notInTree(seq, treeSize);
    }
    const nodes = await this.nodes([{ level: 0, index: seq }, ...nodesForInclusionProof(seq, treeSize)], 'treeSize', treeSize);
    return {
      seq,
      treeSize,
      leafHash: hex(nodes.get(nodeKey({ level: 0, index: seq }))!),
      proof: buildInclusionProof(seq, treeSize, nodes).map(hex),
    };
  }

  async consistency(from: number, to: number) {
    if (from > to) throw logErrors.proofRange(from, to);
    const nodes = await this.nodes(nodesForConsistencyProof(from, to), 'to', to);
    return { from, to, proof: buildConsistencyProof(from, to, nodes).map(hex) };
  }

  /**
   * One query for every node of the proof. A node of a tree of size `size` exists only once the
   * log has reached that size, so a missing node means the request is beyond the log.
   */
  private async nodes(ids: NodeId[], field: string, size: number): Promise<Map<string, Buffer>> {
    const tree = new TreeRepository(this.dataSource.manager);
    const found = await tree.findNodes(ids);
    if (ids.some((id) => !found.has(nodeKey(id)))) {
      const logSize = (await new LogRepository(this.dataSource.manager).head()).nextSeq;
      if (size > logSize) throw logErrors.beyondLog(field, size, logSize);
      throw new Error(`stored tree lacks a node for size ${size} although the log has ${logSize} entries`);
    }
    return found;
  }
}

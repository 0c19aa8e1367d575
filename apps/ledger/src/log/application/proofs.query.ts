import { DomainError } from '@aal/domain';
import { buildConsistencyProof, buildInclusionProof, nodeKey, nodesForConsistencyProof, nodesForInclusionProof, type NodeId } from '@aal/ledger-core';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LogRepository } from '../../intake/infrastructure/log.repository';
import { TreeRepository } from '../infrastructure/tree.repository';

const hex = (b: Buffer) => b.toString('hex');

/** Inclusion and consistency proofs, assembled from the stored tree in one query each. */
@Injectable()
export class ProofsQuery {
  constructor(private readonly dataSource: DataSource) {}

  async inclusion(seq: number, treeSize: number) {
    if (seq >= treeSize) {
      throw new DomainError('PROOF.NOT_IN_TREE', 'invalid', `entry ${seq} is not in a tree of size ${treeSize} (sequence numbers start at 0)`, { seq, treeSize });
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
    if (from > to) throw new DomainError('PROOF.BAD_RANGE', 'invalid', `from (${from}) must not exceed to (${to})`, { from, to });
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
      if (size > logSize) throw beyondLog(field, size, logSize);
      throw new Error(`stored tree lacks a node for size ${size} although the log has ${logSize} entries`);
    }
    return found;
  }
}

function beyondLog(field: string, value: number, size: number): DomainError {
  return new DomainError('PROOF.BEYOND_LOG', 'not-found', `${field} ${value} is larger than the log (${size} entries)`, { [field]: value, logSize: size });
}

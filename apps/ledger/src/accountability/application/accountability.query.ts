import { DomainError } from '@aal/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildAccountabilityChain, type AccountabilityChain } from '../domain/accountability-chain';
import { FactsRepository } from '../infrastructure/facts.repository';

@Injectable()
export class AccountabilityQuery {
  private readonly facts: FactsRepository;

  constructor(dataSource: DataSource) {
    this.facts = new FactsRepository(dataSource);
  }

  async forOutput(outputId: string): Promise<AccountabilityChain & { knownAt: { seq: number } }> {
    const position = await this.facts.position();
    const own = await this.facts.byKeys([`output/${outputId}`]);
    const generated = own.find((f) => f.name === 'output.generated');
    if (!generated) {
      throw new DomainError('OUTPUT.NOT_FOUND', 'not-found', `the ledger holds no output.generated for output ${outputId} (it knows entries up to seq ${position - 1})`, { outputId });
    }
    const related = await this.facts.byKeys([`output/${outputId}`, `deployment/${generated.data['deploymentId']}`, `model/${generated.data['modelId']}`]);
    const chain = buildAccountabilityChain(outputId, related)!;
    return { ...chain, knownAt: { seq: position - 1 } };
  }
}

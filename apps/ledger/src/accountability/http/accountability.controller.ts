import { OutputId } from '@aal/contracts';
import { SchemaPipe } from '@aal/http';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountabilityQuery } from '../application/accountability.query';

@ApiTags('accountability')
@Controller('outputs')
export class AccountabilityController {
  constructor(private readonly query: AccountabilityQuery) {}

  @Get(':outputId/accountability')
  @ApiOperation({
    summary: 'Who built, approved, deployed, instructed and acted on one AI output, as it stood when it was produced.',
    description: 'Every item carries `evidence`: the ledger sequence numbers of the entries that prove it.',
  })
  get(@Param('outputId', new SchemaPipe(OutputId, 'path')) outputId: string) {
    return this.query.forOutput(outputId);
  }
}

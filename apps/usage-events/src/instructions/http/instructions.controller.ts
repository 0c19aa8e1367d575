import { InstructionGivenV1 } from '@aal/contracts';
import type { DomainEvent } from '@aal/domain';
import { CurrentCaller, SchemaPipe, type Caller } from '@aal/http';
import { CLOCK, type Clock } from '@aal/service-kit';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { ExecuteOutputCommand } from '../../outputs/application/execute-output-command.handler';
import { ApiCallerHeaders } from '../../usage/http/usage.requests';
import { ExecuteInstructionCommand } from '../application/execute-instruction-command.handler';
import { instructionRecord } from '../domain/instruction-given';
import type { InstructionGivenEvent } from '../domain/instruction.types';
import { GiveInstructionRequest } from './instruction.requests';

function given(events: readonly DomainEvent[]): InstructionGivenEvent {
  const event = events.find((e): e is InstructionGivenEvent => e.name === 'instruction.given');
  if (!event) throw new Error('giving an instruction recorded no instruction.given event');
  return event;
}

@ApiTags('instructions')
@ApiCallerHeaders()
@Controller('instructions')
export class InstructionsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Record that someone instructed a professional to use, follow or not use the AI, for an output or a case.' })
  @ApiBody({ schema: GiveInstructionRequest as object })
  async give(@Body(new SchemaPipe(GiveInstructionRequest)) body: Static<typeof GiveInstructionRequest>, @CurrentCaller() caller: Caller) {
    const { occurredAt, outputId, ...facts } = body;
    const clocks = { occurredAt, receivedAt: this.clock.now().toISOString() };
    const common = { instructionId: randomUUID(), organisationId: caller.organisationId, ...facts, actor: caller };
    // An instruction naming an output is part of that output's story (its subject is the output),
    // so the output's aggregate records it, in order with the output's other events.
    const { events } = outputId
      ? await this.commands.execute(new ExecuteOutputCommand({ kind: 'GiveInstruction', facts: { ...common, outputId }, ...clocks }))
      : await this.commands.execute(new ExecuteInstructionCommand({ kind: 'GiveInstruction', facts: common, ...clocks }));
    const event = given(events);
    return { ...instructionRecord(event), subject: InstructionGivenV1.subjectOf(event.data) };
  }
}

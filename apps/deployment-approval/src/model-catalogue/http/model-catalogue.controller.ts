import { Access } from '@aal/auth';
import { SchemaPipe } from '@aal/http';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from '@sinclair/typebox';
import { modelCatalogueErrors } from '../domain/model-catalogue.errors';
import { ModelCatalogueReadModel } from '../infrastructure/model-catalogue.read-model';

const uuid = new SchemaPipe(Type.String({ format: 'uuid' }), 'path');

@ApiTags('model catalogue')
@Controller('model-catalogue')
export class ModelCatalogueController {
  constructor(private readonly catalogue: ModelCatalogueReadModel) {}

  @Get('versions/:versionId')
  @Access('employer-requester', 'employer-approver', 'employer-admin', 'auditor')
  @ApiOperation({
    summary: "A model version as this service knows it from model-registry's events: status and the safety notices naming it.",
  })
  async version(@Param('versionId', uuid) versionId: string) {
    const found = await this.catalogue.version(versionId);
    if (!found) throw modelCatalogueErrors.versionNotFound(versionId);
    return found;
  }
}

import { Access } from '@aal/auth';
import { ApiAnswer, SchemaPipe } from '@aal/http';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from '@sinclair/typebox';
import { modelCatalogueErrors } from '../domain/model-catalogue.errors';
import { ModelCatalogueReadModel } from '../infrastructure/model-catalogue.read-model';

const at = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

/** What GET /model-catalogue/versions/{id} answers; the members clients read are stated, others (population) allowed. */
const CatalogueVersionAnswer = Type.Object(
  {
    versionId: Type.String({ format: 'uuid' }),
    modelId: Type.String({ format: 'uuid' }),
    vendorId: Type.String(),
    version: Type.String(),
    status: Type.String(),
    releasedAt: at,
    withdrawnAt: at,
    safetyNotices: Type.Array(
      Type.Object(
        {
          noticeId: Type.String({ format: 'uuid' }),
          severity: Type.String(),
          affectedVersionIds: Type.Array(Type.String({ format: 'uuid' })),
          issuedAt: at,
          resolvedAt: at,
        },
        { additionalProperties: true },
      ),
    ),
  },
  {
    additionalProperties: true,
    description: "The version as this service knows it from model-registry's events.",
    examples: [
      {
        versionId: '7d3e1f20-5b6a-4c7d-8e9f-0a1b2c3d4e5f',
        modelId: '0b9f4c2e-3c1a-4d8e-9a55-6f1f2b7c9d10',
        vendorId: 'acme-clinical-ai',
        version: '2.1.0',
        status: 'released',
        releasedAt: '2026-01-10T08:00:00.000Z',
        withdrawnAt: null,
        safetyNotices: [],
      },
    ],
  },
);

const uuid = new SchemaPipe(Type.String({ format: 'uuid' }), 'path');

@ApiTags('model catalogue')
@Controller('model-catalogue')
export class ModelCatalogueController {
  constructor(private readonly catalogue: ModelCatalogueReadModel) {}

  @Get('versions/:versionId')
  @ApiAnswer(200, CatalogueVersionAnswer)
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

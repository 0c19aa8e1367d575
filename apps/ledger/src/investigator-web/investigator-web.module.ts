import { Module } from '@nestjs/common';
import { InvestigatorPageController } from './http/investigator-page.controller';

/** The investigator's web view: a page at /investigate over the ledger's own API. */
@Module({ controllers: [InvestigatorPageController] })
export class InvestigatorWebModule {}

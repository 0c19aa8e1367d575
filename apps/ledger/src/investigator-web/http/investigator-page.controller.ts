import { Public } from '@aal/auth';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiAnswer } from '@aal/http';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from '@sinclair/typebox';
import { readAccountabilityBundle, readWebBundle, VIEW_BUNDLE_FILE } from '../assets/investigator-accountability.bundle';
import { INVESTIGATOR_APP_JS } from '../assets/investigator-app.script';
import { INVESTIGATOR_ICON_SVG, INVESTIGATOR_PAGE_CSP, INVESTIGATOR_PAGE_HTML } from '../assets/investigator-page.html';

/** The page's files: static text, no data. */
const PageText = Type.String();

/**
 * The investigator's web view (issue #7): a static page and its script. Both are public because
 * they hold no data: everything shown is fetched by the script from the authenticated API with
 * the investigator's own token, and the badge is computed in the browser from public proofs.
 */
@ApiTags('investigations')
@Public('The investigator page and its script are static and hold no data; every answer they show comes from the authenticated API.')
@Controller('investigate')
export class InvestigatorPageController {
  /** Read once at start-up: the ledger does not start without it (see readAccountabilityBundle). */
  private readonly accountabilityJs = readAccountabilityBundle();
  private readonly viewJs = readWebBundle(VIEW_BUNDLE_FILE);

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', INVESTIGATOR_PAGE_CSP)
  @Header('x-content-type-options', 'nosniff')
  @Header('referrer-policy', 'no-referrer')
  @Header('x-frame-options', 'DENY')
  @Header('cache-control', 'no-cache')
  @ApiAnswer(200, PageText, 'The investigator page.', 'text/html')
  @ApiOperation({
    summary:
      'The investigator web page: search an output or incident, see the four parties, the timeline, the findings and a badge verified in the browser.',
  })
  page(): string {
    return INVESTIGATOR_PAGE_HTML;
  }

  @Get('app.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'no-cache')
  @ApiAnswer(200, PageText, 'A script of the page.', 'text/javascript')
  @ApiOperation({ summary: "The investigator page's script (same origin, as its Content-Security-Policy requires)." })
  script(): string {
    return INVESTIGATOR_APP_JS;
  }

  @Get('accountability.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'no-cache')
  @ApiAnswer(200, PageText, 'A script of the page.', 'text/javascript')
  @ApiOperation({
    summary:
      "The ledger's own answer code (@aal/accountability, bundled), with which the page re-derives each answer from the case export's proven entries.",
  })
  accountability(): string {
    return this.accountabilityJs;
  }

  @Get('view.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'no-cache')
  @ApiAnswer(200, PageText, 'A script of the page.', 'text/javascript')
  @ApiOperation({
    summary: "The page's words for field names, its date format and its oversight charts (Observable Plot, bundled; no CDN).",
  })
  view(): string {
    return this.viewJs;
  }

  @Get('icon.svg')
  @Header('content-type', 'image/svg+xml')
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'max-age=86400')
  @ApiAnswer(200, PageText, 'The page icon.', 'image/svg+xml')
  @ApiOperation({ summary: "The investigator page's icon." })
  icon(): string {
    return INVESTIGATOR_ICON_SVG;
  }
}

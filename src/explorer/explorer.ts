import type { ApolloServerPlugin } from '@apollo/server';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';

/** GraphiQL and React ship in npm as browser bundles; serving them ourselves keeps the explorer working offline. */
export const EXPLORER_ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'application/javascript' },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
  'react.production.min.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'application/javascript' },
  'react-dom.production.min.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'application/javascript' },
};

/** Packages' `exports` maps hide their UMD builds from require.resolve, so resolve from the package root. */
function assetPath(asset: { pkg: string; file: string }): string {
  return join(dirname(require.resolve(`${asset.pkg}/package.json`)), asset.file);
}

const EXAMPLE_QUERY = `# Is my doctor in network? What will my drug cost? (demo data: seeds/fixtures.ts)
query Example {
  networkCoverage(npis: ["1483666727"], planIds: ["10001OH0020001", "10001OH0010001"], year: 2026) {
    npi planId status outcome message networkTiers acceptingNewPatients
    addresses { address city zip phone }
    provenance { issuerName sourceFile lastUpdatedOn loadedAt }
  }
  drugCoverage(rxnormIds: ["617310", "617318"], planIds: ["10001OH0020001", "10001OH0010001"]) {
    rxnormId planId status drugTier costSummary priorAuthorization stepTherapy
    genericCovered { drugName costSummary }
    estimate { pharmacyType monthlyLow monthlyHigh assumptions }
  }
}
`;

export function explorerHtml(endpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Coverage transparency API · GraphiQL</title>
  <link rel="stylesheet" href="/explorer/assets/graphiql.min.css" />
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading the explorer…</div>
  <script src="/explorer/assets/react.production.min.js"></script>
  <script src="/explorer/assets/react-dom.production.min.js"></script>
  <script src="/explorer/assets/graphiql.min.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(EXAMPLE_QUERY)} }),
    );
  </script>
</body>
</html>`;
}

/** Apollo shows this page to browsers that GET /graphql (instead of its CDN-hosted Sandbox). */
export function offlineExplorerPlugin(endpoint = '/graphql'): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: explorerHtml(endpoint) };
        },
      };
    },
  };
}

@Controller('explorer')
export class ExplorerController {
  @Get()
  page(@Res() res: Response) {
    res.type('html').send(explorerHtml('/graphql'));
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() res: Response) {
    const asset = EXPLORER_ASSETS[name];
    if (!asset) throw new NotFoundException(`No explorer asset ${name}`);
    res.type(asset.type).setHeader('Cache-Control', 'public, max-age=86400');
    createReadStream(assetPath(asset)).pipe(res);
  }
}

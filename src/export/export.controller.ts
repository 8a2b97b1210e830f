import { BadRequestException, Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { Response } from 'express';
import { planIdProblem } from '../common/identifiers';
import { Database } from '../database/database';
import { PlanModel } from '../plans/models/plan.model';
import { PlansService } from '../plans/plans.service';
import { ChangeHistoryService } from '../research/change-history.service';
import { FormularyStatsService } from '../research/formulary-stats.service';
import { NetworkBreadthService } from '../research/network-breadth.service';
import { BuiltQuery } from '../search/sql-params';
import { isUserInputError } from '../search/user-input-error';
import { csvCopySql, jsonLinesCopySql, jsonLinesToArray, streamCopy } from './copy-stream';
import { csvReadableQuery } from './csv-values';
import { describeExports, ExportDescription, researchParameters } from './export-index';
import { formularyCsvQuery, formularyJsonQuery, networkCsvQuery, networkJsonQuery } from './plan-export-queries';
import { buildResearchReport, RESEARCH_REPORTS, ResearchReportName, ResearchServices } from './research-reports';

type ExportFormat = 'csv' | 'json';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/**
 * Bulk downloads, streamed from PostgreSQL with COPY TO STDOUT: a plan's network and formulary as CSV or
 * in the QHP JSON shapes, and any research query as CSV. `GET /export` lists them with their parameters.
 */
@Controller('export')
export class ExportController {
  private readonly research: ResearchServices;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly db: Database,
    private readonly plans: PlansService,
    breadth: NetworkBreadthService,
    stats: FormularyStatsService,
    history: ChangeHistoryService,
  ) {
    this.research = { breadth, stats, history };
  }

  /** The GraphQL schema (built when the app initialises): research parameters are its arguments. */
  private schema() {
    return this.moduleRef.get(GraphQLSchemaHost, { strict: false }).schema;
  }

  @Get()
  index(): { exports: ExportDescription[]; documentation: string } {
    return { exports: describeExports(this.schema()), documentation: 'docs/exports.md describes every column' };
  }

  @Get('plans/:planId/network.csv')
  networkCsv(@Param('planId') planId: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    return this.exportPlan(planId, 'network', 'csv', networkCsvQuery, query, res);
  }

  @Get('plans/:planId/network.json')
  networkJson(@Param('planId') planId: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    return this.exportPlan(planId, 'network', 'json', networkJsonQuery, query, res);
  }

  @Get('plans/:planId/formulary.csv')
  formularyCsv(@Param('planId') planId: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    return this.exportPlan(planId, 'formulary', 'csv', formularyCsvQuery, query, res);
  }

  @Get('plans/:planId/formulary.json')
  formularyJson(@Param('planId') planId: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    return this.exportPlan(planId, 'formulary', 'json', formularyJsonQuery, query, res);
  }

  @Get('research/:report.csv')
  async researchCsv(@Param('report') name: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    if (!Object.hasOwn(RESEARCH_REPORTS, name)) {
      throw new NotFoundException(`No research report "${name}"; reports: ${Object.keys(RESEARCH_REPORTS).join(', ')}`);
    }
    const allowed = researchParameters(this.schema(), RESEARCH_REPORTS[name as ResearchReportName].field).map((p) => p.name);
    // Unknown parameters are listed with the problems of the known ones, so one answer says everything to fix.
    const unknown = unknownParametersProblem(`${name}.csv`, query, allowed);
    const known = Object.fromEntries(Object.entries(query).filter(([key]) => allowed.includes(key)));
    let report: Awaited<ReturnType<typeof buildResearchReport>>;
    try {
      report = await buildResearchReport(name as ResearchReportName, this.research, known);
    } catch (error) {
      if (isUserInputError(error)) throw new BadRequestException(unknown ? [unknown, error.message] : error.message);
      throw error;
    }
    const problems = [...(unknown ? [unknown] : []), ...('problems' in report ? report.problems : [])];
    if (problems.length || 'problems' in report) throw new BadRequestException(problems);
    await this.send(res, 'csv', `${name}.csv`, report.query);
  }

  private async exportPlan(
    planId: string,
    what: string,
    format: ExportFormat,
    build: (plan: PlanModel) => BuiltQuery,
    query: Record<string, unknown>,
    res: Response,
  ) {
    const unknown = unknownParametersProblem(`${what}.${format}`, query, []);
    if (unknown) throw new BadRequestException(unknown);
    const problem = planIdProblem(planId);
    if (problem) throw new BadRequestException(problem);
    const plan = await this.plans.findPlan(planId);
    if (!plan) throw new NotFoundException(`Plan ${planId} is not loaded: no issuer has published it`);
    await this.send(res, format, `${planId}-${what}.${format}`, build(plan));
  }

  private async send(res: Response, format: ExportFormat, filename: string, query: BuiltQuery): Promise<void> {
    // Exports are long reads: a replica takes them when there are any.
    const client = await this.db.connectForCopy('replica');
    let copySql: string;
    try {
      // CSV cells follow one convention whatever the query (csv-values): read the column types first.
      copySql = format === 'csv' ? csvCopySql(await csvReadableQuery(client, query)) : jsonLinesCopySql(query);
    } catch (error) {
      client.release();
      throw error;
    }
    res.status(200);
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await streamCopy(client, copySql, res, format === 'json' ? jsonLinesToArray() : undefined);
    } catch {
      // Headers (and maybe rows) are gone already; cutting the response tells the client the file is incomplete.
      if (!res.destroyed) res.destroy();
    }
  }
}

/** The problem to report (naming the parameters the export takes) when the URL has any other; null when none. */
function unknownParametersProblem(exportName: string, query: Record<string, unknown>, allowed: string[]): string | null {
  const unknown = Object.keys(query).filter((key) => !allowed.includes(key));
  if (!unknown.length) return null;
  const takes = allowed.length ? `takes only ${allowed.join(', ')}` : 'takes no query parameters';
  return `Unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: ${exportName} ${takes} (GET /export lists every export with its parameters)`;
}

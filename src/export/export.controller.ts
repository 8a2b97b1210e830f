import { BadRequestException, Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
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
import { formularyCsvQuery, formularyJsonQuery, networkCsvQuery, networkJsonQuery } from './plan-export-queries';
import { buildResearchReport, RESEARCH_REPORTS, ResearchReportName, ResearchServices } from './research-reports';

type ExportFormat = 'csv' | 'json';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/**
 * Bulk downloads, streamed from PostgreSQL with COPY TO STDOUT: a plan's network and formulary as CSV or
 * in the QHP JSON shapes, and any research query as CSV.
 */
@Controller('export')
export class ExportController {
  private readonly research: ResearchServices;

  constructor(
    private readonly db: Database,
    private readonly plans: PlansService,
    breadth: NetworkBreadthService,
    stats: FormularyStatsService,
    history: ChangeHistoryService,
  ) {
    this.research = { breadth, stats, history };
  }

  @Get('plans/:planId/network.csv')
  networkCsv(@Param('planId') planId: string, @Res() res: Response) {
    return this.exportPlan(planId, 'network', 'csv', networkCsvQuery, res);
  }

  @Get('plans/:planId/network.json')
  networkJson(@Param('planId') planId: string, @Res() res: Response) {
    return this.exportPlan(planId, 'network', 'json', networkJsonQuery, res);
  }

  @Get('plans/:planId/formulary.csv')
  formularyCsv(@Param('planId') planId: string, @Res() res: Response) {
    return this.exportPlan(planId, 'formulary', 'csv', formularyCsvQuery, res);
  }

  @Get('plans/:planId/formulary.json')
  formularyJson(@Param('planId') planId: string, @Res() res: Response) {
    return this.exportPlan(planId, 'formulary', 'json', formularyJsonQuery, res);
  }

  @Get('research/:report.csv')
  async researchCsv(@Param('report') name: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    if (!Object.hasOwn(RESEARCH_REPORTS, name)) {
      throw new NotFoundException(`No research report "${name}"; reports: ${Object.keys(RESEARCH_REPORTS).join(', ')}`);
    }
    let report: Awaited<ReturnType<typeof buildResearchReport>>;
    try {
      report = await buildResearchReport(name as ResearchReportName, this.research, query);
    } catch (error) {
      if (isUserInputError(error)) throw new BadRequestException(error.message);
      throw error;
    }
    if ('problems' in report) throw new BadRequestException(report.problems);
    await this.send(res, 'csv', `${name}.csv`, report.query);
  }

  private async exportPlan(planId: string, what: string, format: ExportFormat, build: (plan: PlanModel) => BuiltQuery, res: Response) {
    const problem = planIdProblem(planId);
    if (problem) throw new BadRequestException(problem);
    const plan = await this.plans.findPlan(planId);
    if (!plan) throw new NotFoundException(`Plan ${planId} is not loaded: no issuer has published it`);
    await this.send(res, format, `${planId}-${what}.${format}`, build(plan));
  }

  private async send(res: Response, format: ExportFormat, filename: string, query: BuiltQuery): Promise<void> {
    res.status(200);
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.setHeader('Cache-Control', 'no-store');
    // Exports are long reads: a replica takes them when there are any.
    const connect = () => this.db.connectForCopy('replica');
    try {
      if (format === 'csv') await streamCopy(connect, csvCopySql(query), res);
      else await streamCopy(connect, jsonLinesCopySql(query), res, jsonLinesToArray());
    } catch {
      // Headers (and maybe rows) are gone already; cutting the response tells the client the file is incomplete.
      if (!res.destroyed) res.destroy();
    }
  }
}

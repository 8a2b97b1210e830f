import { Args, Query, Resolver } from '@nestjs/graphql';
import { ChangeHistoryArgs, NetworkChangesArgs } from './change-history.args';
import { FormularyChangesModel, NetworkChangesModel } from './change-history.model';
import { ChangeHistoryService } from './change-history.service';

@Resolver()
export class ChangeHistoryResolver {
  constructor(private readonly history: ChangeHistoryService) {}

  @Query(() => NetworkChangesModel, {
    description:
      "Providers added to and dropped from a plan's network between two loaded versions of its issuer " +
      '(default: the version published at/just before `since`, or the previous one, vs the published one)',
  })
  networkChanges(@Args() { planId, sinceVersionId, since, untilVersionId, change, first, after }: NetworkChangesArgs) {
    return this.history.networkChanges(planId, { sinceVersionId, since, untilVersionId }, change ?? null, first, after);
  }

  @Query(() => FormularyChangesModel, {
    description: "Drugs added to and removed from a plan's formulary, tier, cost-sharing and restriction changes, between two loaded versions",
  })
  formularyChanges(@Args() { planId, sinceVersionId, since, untilVersionId, first, after }: ChangeHistoryArgs) {
    return this.history.formularyChanges(planId, { sinceVersionId, since, untilVersionId }, first, after);
  }
}

import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLContext, loaderFor } from '../common/graphql-context';
import { IssuerArgs } from '../datasets/datasets.args';
import { IssuerModel } from '../plans/models/plan.model';
import { IssuerDataQualityModel } from '../quality/models/data-quality.model';
import { FeedFileModel, FeedModel, FeedsArgs } from './feed.models';
import { FeedsService } from './feeds.service';

function feedLoader(ctx: GraphQLContext, feeds: FeedsService) {
  return loaderFor<string, FeedModel | null>(ctx, 'feed', (ids) => feeds.feedsOf(ids));
}

@Resolver(() => FeedModel)
export class FeedsResolver {
  constructor(private readonly service: FeedsService) {}

  @Query(() => [FeedModel], { description: "Carriers' published feeds and their health; brokenOnly: which carriers' links are broken today" })
  feeds(@Args() { brokenOnly }: FeedsArgs) {
    return this.service.feeds(brokenOnly ?? false);
  }

  @Query(() => FeedModel, { nullable: true, description: "An issuer's feed, also when nothing of it was ever loaded (null: no feed registered)" })
  async feed(@Args() { issuerId }: IssuerArgs) {
    const [feed] = await this.service.feedsOf([issuerId]);
    return feed;
  }

  @ResolveField(() => [FeedFileModel], { description: 'The index and every file it lists (still listed first)' })
  files(@Parent() feed: FeedModel, @Context() ctx: GraphQLContext) {
    return loaderFor<string, FeedFileModel[]>(ctx, 'feedFiles', (ids) => this.service.filesOf(ids)).load(feed.issuerId);
  }
}

@Resolver(() => IssuerModel)
export class IssuerFeedResolver {
  constructor(private readonly feeds: FeedsService) {}

  @ResolveField(() => FeedModel, {
    nullable: true,
    description: 'Where the carrier publishes its files and how the last check went (null: no feed registered)',
  })
  feed(@Parent() issuer: IssuerModel, @Context() ctx: GraphQLContext) {
    return feedLoader(ctx, this.feeds).load(issuer.issuerId);
  }
}

/** Data quality counts a broken or stale feed: the published data may be older than what the carrier meant to publish. */
@Resolver(() => IssuerDataQualityModel)
export class FeedQualityResolver {
  constructor(private readonly feeds: FeedsService) {}

  @ResolveField(() => Boolean, { nullable: true, description: "The carrier's feed failed its last check (null: no feed registered)" })
  async feedBroken(@Parent() quality: IssuerDataQualityModel, @Context() ctx: GraphQLContext) {
    const feed = await feedLoader(ctx, this.feeds).load(quality.issuerId);
    return feed ? feed.broken : null;
  }

  @ResolveField(() => Int, { nullable: true, description: "Days since the carrier's feed content last changed (null: no feed or never loaded)" })
  async daysSinceContentChanged(@Parent() quality: IssuerDataQualityModel, @Context() ctx: GraphQLContext) {
    const feed = await feedLoader(ctx, this.feeds).load(quality.issuerId);
    return feed?.daysSinceContentChanged ?? null;
  }
}

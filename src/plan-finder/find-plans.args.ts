import { ArgsType, Field, Int } from '@nestjs/graphql';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsIssuerId, IsNpi, IsRxcui, IsStateCode } from '../common/validators';

/** Doctors and drugs a shopper can ask about at once: the rows of the grid the answer is built from. */
export const MAX_FIND_DOCTORS = 20;
export const MAX_FIND_DRUGS = 20;
/** Plans a search may rank: a state's whole individual market for one year fits. */
export const MAX_CANDIDATE_PLANS = 200;
export const METAL_LEVELS = ['Catastrophic', 'Bronze', 'Silver', 'Gold', 'Platinum'] as const;

@ArgsType()
export class FindPlansArgs {
  @Field(() => String, { nullable: true, description: '2-letter state of the plans; may be left out when zip or countyFips is given' })
  @IsOptional()
  @IsStateCode()
  state?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The shopper's 5-digit ZIP code: must be a known US ZIP (of `state`, when given); gives the state when state is left out",
  })
  @IsOptional()
  @IsString()
  zip?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The shopper's 5-digit county FIPS code (e.g. 39049, Franklin County, OH): its first two digits must name `state`, when given",
  })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9]{5}$/, { message: 'countyFips must be a 5-digit county FIPS code, e.g. 39049' })
  countyFips?: string | null;

  @Field(() => Int, { description: 'Plan year: only plans offered that year; network and formulary answers for that year' })
  @IsInt()
  @Min(2014)
  @Max(2100)
  year: number;

  @Field(() => [String], { defaultValue: [], description: `NPIs of the doctors and facilities to keep, at most ${MAX_FIND_DOCTORS}` })
  @ArrayMaxSize(MAX_FIND_DOCTORS)
  @IsNpi()
  npis: string[];

  @Field(() => [String], { defaultValue: [], description: `RXCUIs of the drugs to price, at most ${MAX_FIND_DRUGS}` })
  @ArrayMaxSize(MAX_FIND_DRUGS)
  @IsRxcui()
  rxnormIds: string[];

  @Field(() => [String], { nullable: true, description: `Only these metal levels (${METAL_LEVELS.join(', ')}; case-insensitive); all when left out` })
  @IsOptional()
  @ArrayMaxSize(METAL_LEVELS.length)
  @IsIn([...METAL_LEVELS, ...METAL_LEVELS.map((m) => m.toLowerCase()), ...METAL_LEVELS.map((m) => m.toUpperCase())], {
    each: true,
    message: `metalLevels: each must be one of ${METAL_LEVELS.join(', ')}`,
  })
  metalLevels?: string[] | null;

  @Field(() => String, { nullable: true, description: "Only this issuer's plans (5-digit HIOS issuer id)" })
  @IsOptional()
  @IsIssuerId()
  issuerId?: string | null;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'true: only plans with every doctor in network and every drug covered; false (default): every plan, best match first',
  })
  coveringAll: boolean;

  @Field(() => Int, { nullable: true, description: 'How many plans to return, 1 to 100 (default 20)' })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'first must be between 1 and 100' })
  @Max(100, { message: 'first must be between 1 and 100' })
  first?: number | null;
}

import { Field, Float, ObjectType } from '@nestjs/graphql';

@ObjectType('MonthlyCostEstimate', {
  description: 'What a covered drug may cost per month at one pharmacy type, with every assumption stated in words',
})
export class MonthlyCostEstimateModel {
  @Field({ description: '1-MONTH-IN-RETAIL, 3-MONTH-IN-MAIL, ...' }) pharmacyType: string;
  @Field(() => Float, {
    nullable: true,
    description: 'Lowest monthly cost in dollars (after the deductible is met, when one applies); null when it needs a price we do not have',
  })
  monthlyLow: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Highest monthly cost in dollars (before the deductible is met, when one applies); null when it needs a price we do not have',
  })
  monthlyHigh: number | null;
  @Field(() => [String], { description: 'How the numbers were reached, in plain words' }) assumptions: string[];
  @Field(() => Float, { nullable: true, description: 'List price per 30-day supply used, when the estimate needed one' })
  priceUsed: number | null;
  @Field(() => String, { nullable: true, description: 'Where priceUsed comes from (e.g. NADAC); null when no price was needed' })
  priceSource: string | null;
  @Field(() => String, { nullable: true, description: 'Date of the price (YYYY-MM-DD)' }) priceAsOf: string | null;
}

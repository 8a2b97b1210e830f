import { Module } from '@nestjs/common';
import { DrugReferenceService } from './drug-reference.service';

/** Reference data beside the carriers' files: generic equivalents (crosswalk) and list prices. */
@Module({
  providers: [DrugReferenceService],
  exports: [DrugReferenceService],
})
export class PricingModule {}

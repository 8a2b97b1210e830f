import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysService } from './api-keys.service';
import { KeyUsage, PresentedKeys } from './presented-keys';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity])],
  providers: [ApiKeysService, ApiKeyGuard, PresentedKeys, KeyUsage],
  exports: [ApiKeysService, ApiKeyGuard, PresentedKeys, KeyUsage],
})
export class AuthModule {}

import { Module } from '@nestjs/common';
import { WebController } from './web.controller';

/** Pages served by the API itself (no CDN): `/` for shoppers, `/research` for journalists, `/widget.js` for other sites. */
@Module({ controllers: [WebController] })
export class WebModule {}

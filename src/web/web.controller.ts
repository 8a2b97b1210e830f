import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SCRIPT_ENTRIES, ScriptName, STATIC_FILES, WebAssets } from './web-assets';

const JS_TYPE = 'application/javascript; charset=utf-8';
// Short: the pages change with the API, and a stale script talking to a newer schema is worse than a refetch.
const CACHE = 'public, max-age=300';

/** The pages for people who do not write GraphQL: the shopper's lookup, the research desk and the embeddable widget. */
@Controller()
export class WebController {
  private readonly assets = new WebAssets();

  @Get()
  shopper(@Res() res: Response) {
    this.sendStatic(res, 'index.html');
  }

  @Get('research')
  research(@Res() res: Response) {
    this.sendStatic(res, 'research.html');
  }

  @Get('widget')
  widgetDemo(@Res() res: Response) {
    this.sendStatic(res, 'widget-demo.html');
  }

  /** Browsers ask for it on every page; no icon, and no 404 in their consoles. */
  @Get('favicon.ico')
  favicon(@Res() res: Response) {
    res.status(204).setHeader('Cache-Control', 'public, max-age=86400').end();
  }

  @Get('widget.js')
  async widget(@Req() req: Request, @Res() res: Response) {
    await this.sendScript(req, res, 'widget.js');
  }

  @Get('web/:name')
  async asset(@Param('name') name: string, @Req() req: Request, @Res() res: Response) {
    if (name in SCRIPT_ENTRIES && name !== 'widget.js') {
      await this.sendScript(req, res, name as ScriptName);
      return;
    }
    if (name === 'app.css') {
      this.sendStatic(res, name);
      return;
    }
    throw new NotFoundException(`No web asset ${name}`);
  }

  /** Gzipped for browsers that say they accept it (all do): a third of the bytes on the wire. */
  private async sendScript(req: Request, res: Response, name: ScriptName) {
    res.type(JS_TYPE).setHeader('Cache-Control', CACHE).setHeader('Vary', 'Accept-Encoding');
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.setHeader('Content-Encoding', 'gzip').send(await this.assets.gzippedScript(name));
    } else {
      res.send(await this.assets.script(name));
    }
  }

  private sendStatic(res: Response, name: string) {
    res.type(STATIC_FILES[name]).setHeader('Cache-Control', CACHE).send(this.assets.readStatic(name));
  }
}

import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';

/** Most of a refused upload's body read (and discarded) so the client can see the answer. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;
const MAX_DRAIN_MS = 10_000;

/**
 * Answers a refused upload (401, 403, 400...) only after reading the rest of its body.
 * A client still sending a file when the server answers and closes gets a broken pipe instead of
 * the answer ("API key required..." never shows). Past a bound the connection is closed anyway,
 * so an unauthenticated client cannot make the server read gigabytes.
 */
@Catch(HttpException)
export class DrainUploadBodyFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const status = exception.getStatus();
    const payload = exception.getResponse();
    const answer = () => {
      if (response.headersSent || response.destroyed) return;
      response.status(status).json(typeof payload === 'string' ? { statusCode: status, message: payload } : payload);
    };

    if (request.complete || request.destroyed) return answer();
    let drained = 0;
    const giveUp = () => {
      response.setHeader('Connection', 'close');
      answer();
      request.removeAllListeners('data');
    };
    const timer = setTimeout(giveUp, MAX_DRAIN_MS).unref();
    request.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > MAX_DRAIN_BYTES) {
        clearTimeout(timer);
        giveUp();
      }
    });
    request.once('end', () => {
      clearTimeout(timer);
      answer();
    });
    request.once('close', () => clearTimeout(timer));
    request.resume();
  }
}

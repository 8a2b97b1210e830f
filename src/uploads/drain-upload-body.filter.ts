import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { answerAfterDraining } from '../common/drain-request';

/** Answers a refused upload (401, 403, 400...) only after reading the rest of its body (see answerAfterDraining). */
@Catch(HttpException)
export class DrainUploadBodyFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const status = exception.getStatus();
    const payload = exception.getResponse();
    answerAfterDraining(request, response, () =>
      response.status(status).json(typeof payload === 'string' ? { statusCode: status, message: payload } : payload),
    );
  }
}

import { BadRequestException, HttpException, Inject, Injectable } from '@nestjs/common';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { ApiKeyPrincipal, assertMayLoadIssuers } from '../auth/api-key-principal';
import { ISSUER_ID_PATTERN } from '../common/identifiers';
import { ImportError } from '../ingest/import-contract';
import { ImportJobEntity } from './import-job.entity';
import { ImportJobsService } from './import-jobs.service';
import { SpooledFile, spoolMultipartUpload, storageFailure, UploadAbortedError, UploadRejectedError } from './multipart-spool';
import { QHP_IMPORT_RUNNER, QhpImportRunner } from './qhp-import-runner';
import { EXPECTED_NAMES } from './qhp-upload-names';
import { UPLOADS_CONFIG, UploadsConfig } from './uploads.config';

/** nginx's "client closed request": nobody reads it, but it keeps aborted uploads out of 5xx counts. */
const CLIENT_CLOSED_REQUEST = 499;

export interface UploadTarget {
  /** Query parameters as Express parses them: a repeated one arrives as an array. */
  issuerId: string | string[] | undefined;
  issuerName?: string | string[];
  apiKey: ApiKeyPrincipal;
  /** Publish exactly the kinds of file sent (default: the others carry forward from the published version). */
  replaceAll?: boolean;
  /** Publish even if the load removes more than the allowed share of the published rows. */
  allowShrink?: boolean;
}

/** A query parameter given once, or a 400 (`?issuerId=1&issuerId=2` reaches here as an array). */
function singleParameter(name: string, value: string | string[] | undefined): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new BadRequestException(`${name} must be given once (got ${[value].flat().length} values)`);
}

/** Receives a carrier's files over HTTP and hands them to an import job. */
@Injectable()
export class UploadsService {
  constructor(
    private readonly jobs: ImportJobsService,
    @Inject(UPLOADS_CONFIG) private readonly config: UploadsConfig,
    @Inject(QHP_IMPORT_RUNNER) private readonly importer: QhpImportRunner,
  ) {}

  async receive(request: IncomingMessage, target: UploadTarget): Promise<ImportJobEntity> {
    const issuerId = singleParameter('issuerId', target.issuerId)?.trim() ?? '';
    const issuerName = singleParameter('issuerName', target.issuerName);
    if (!ISSUER_ID_PATTERN.test(issuerId)) {
      throw new BadRequestException(`issuerId must be the 5-digit HIOS issuer id, e.g. POST /ingest/uploads?issuerId=10001 (got "${issuerId}")`);
    }
    // Checked before reading a byte of the body: a key of another issuer uploads nothing.
    assertMayLoadIssuers(target.apiKey, [issuerId]);

    let tempDir: string;
    try {
      await mkdir(this.config.tempRoot, { recursive: true });
      tempDir = await mkdtemp(join(this.config.tempRoot, `${issuerId}-`));
    } catch (error) {
      const [status, message] = storageFailure('the upload', error as NodeJS.ErrnoException);
      throw new HttpException(message, status);
    }
    try {
      const files = await spoolMultipartUpload(request, {
        dir: tempDir,
        maxFileBytes: this.config.maxFileBytes,
        maxFiles: this.config.maxFilesPerUpload,
      });
      if (!files.length) throw new BadRequestException(`the upload holds no files: send ${EXPECTED_NAMES} as multipart/form-data file parts`);
      await this.checkFilesMakeALoad(issuerId, files, tempDir, target.apiKey);
      return await this.jobs.enqueue({
        issuerId,
        issuerName,
        files,
        tempDir,
        apiKey: target.apiKey,
        replaceAll: target.replaceAll,
        allowShrink: target.allowShrink,
      });
    } catch (error) {
      await rm(tempDir, { recursive: true, force: true });
      if (error instanceof UploadRejectedError) throw new HttpException(error.message, error.status);
      if (error instanceof UploadAbortedError) throw new HttpException(error.message, CLIENT_CLOSED_REQUEST);
      throw error;
    }
  }

  /** An index listing a file that was not sent, or an upload without plans, is the carrier's to fix now, not a failed job later. */
  private async checkFilesMakeALoad(issuerId: string, files: SpooledFile[], tempDir: string, apiKey: ApiKeyPrincipal): Promise<void> {
    try {
      await this.importer.checkFiles({ issuerId, files, source: 'upload', loadedBy: apiKey.label, maxFileBytes: this.config.maxFileBytes });
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      // The spool directory is an implementation detail: carriers know their files by name.
      throw new BadRequestException(error.message.split(`${tempDir}/`).join(''));
    }
  }
}

import { ArgsType, Field, Float, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { IsBoolean, IsOptional } from 'class-validator';

@ObjectType('FeedFile', { description: "Health of one URL of a carrier's feed (the index or a file it lists), as of the last check" })
export class FeedFileModel {
  @Field({ description: '5-digit HIOS issuer id whose feed lists this file' }) issuerId: string;
  @Field({ description: "The file's URL as the index lists it, resolved against the index URL" }) url: string;
  @Field({ description: 'index, plans, providers or drugs' }) kind: string;
  @Field({ description: 'false once the index stopped listing this URL (the row keeps its last health)' }) listed: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the URL was last requested (null: never)' }) lastCheckedAt: Date | null;
  @Field(() => Boolean, { nullable: true, description: 'The URL was fetched (and loaded) without error at the last check' }) ok: boolean | null;
  @Field(() => Int, { nullable: true, description: 'HTTP status of the last answer (304: not modified since the copy we have)' }) httpStatus: number | null;
  @Field(() => Float, { nullable: true, description: 'Bytes of the decoded body (on failure: bytes received before it)' }) bytes: number | null;
  @Field(() => String, { nullable: true, description: 'Content-Type the server sent with the last answer' }) contentType: string | null;
  @Field(() => Int, { nullable: true, description: 'Time to download, retries included' }) downloadMs: number | null;
  @Field(() => Boolean, { nullable: true, description: 'The content differed from the previous check' }) changed: boolean | null;
  @Field(() => String, { nullable: true, description: 'ETag of the copy we have, sent back as If-None-Match' }) etag: string | null;
  @Field(() => String, { nullable: true, description: 'Last-Modified of the copy we have, sent back as If-Modified-Since' }) lastModified: string | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 of the content last downloaded' }) sha256: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'HTTP_STATUS, TIMEOUT, TRUNCATED, BAD_ENCODING, HTML_NOT_JSON, TOO_LARGE, INSECURE_URL, REDIRECT_LOOP, TRUNCATED_JSON, ...',
  })
  errorCode: string | null;
  @Field(() => String, { nullable: true, description: 'What went wrong: URL, status, byte offset or JSON path' }) error: string | null;
  @Field(() => Float, { nullable: true, description: 'Byte of the body where it broke off or failed to parse' }) byteOffset: number | null;
  @Field(() => String, { nullable: true, description: 'JSON path of the failure, e.g. $.plan_urls' }) jsonPath: string | null;
  @Field(() => Int, { nullable: true, description: 'Records of this file the last load rejected' }) recordsRejected: number | null;
  @Field(() => String, { nullable: true, description: 'Rejection reasons of the last load, e.g. "INVALID_NPI 3"' }) validationSummary: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the content last changed' }) contentChangedAt: Date | null;
  @Field(() => Int, { nullable: true, description: "Whole days since this file's content last changed" }) daysSinceContentChanged: number | null;
}

@ObjectType('Feed', { description: 'Where a carrier publishes its QHP files (its cms-data-index.json URL) and how the last check went' })
export class FeedModel {
  @Field({ description: '5-digit HIOS issuer id' }) issuerId: string;
  @Field({ description: "URL of the issuer's cms-data-index.json" }) indexUrl: string;
  @Field(() => String, { nullable: true, description: "Issuer's name, as the Machine-Readable URL file gives it" }) issuerName: string | null;
  @Field(() => String, { nullable: true, description: 'Two-letter state of the issuer, as the Machine-Readable URL file gives it' }) state: string | null;
  @Field({ description: 'new (never checked), ok or broken' }) status: string;
  @Field({ description: 'The last check failed: a link is broken, or a file could not be read or loaded' }) broken: boolean;
  @Field(() => String, { nullable: true, description: 'published, unchanged (same content), not-modified (every URL answered 304) or failed' })
  outcome: string | null;
  @Field(() => String, { nullable: true, description: 'What broke, with the URL' }) error: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the feed was last checked (null: never)' }) lastCheckedAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When a check last succeeded' }) lastSuccessAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Broken since this check (null when ok)' }) brokenSince: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "When the carrier's content last changed" }) contentChangedAt: Date | null;
  @Field(() => Int, { nullable: true, description: 'Days since the content last changed: files that silently stop changing' })
  daysSinceContentChanged: number | null;
  @Field(() => Int, { nullable: true, description: 'Dataset version the feed last loaded' }) lastVersionId: number | null;
  @Field(() => Int, { nullable: true, description: 'Duration of the last check' }) checkMs: number | null;
}

@ArgsType()
export class FeedsArgs {
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: "Only feeds whose last check failed: which carriers' links are broken today" })
  @IsOptional()
  @IsBoolean()
  brokenOnly?: boolean;
}

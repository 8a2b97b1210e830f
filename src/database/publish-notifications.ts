/**
 * The channel every change of what answers read is announced on (publish, rollback, feed check): the
 * writers (importer, feed store) send it, the API's answer fast path listens to it.
 */
export const PUBLISH_CHANNEL = 'coverage_published';

/** `NOTIFY` for a transaction that changes what answers read: delivered only when it commits. */
export const NOTIFY_PUBLISHED = `NOTIFY ${PUBLISH_CHANNEL}`;

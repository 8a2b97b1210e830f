import type { Request, Response } from 'express';

/** Most of a refused request's body read (and discarded) so the client can see the answer. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;
const MAX_DRAIN_MS = 10_000;

/**
 * Calls `answer` only after reading the rest of the request's body. A client still sending a file when
 * the server answers and closes gets a broken pipe instead of the answer ("API key required..." never
 * shows). Past a bound the connection is closed anyway, so an unauthenticated client cannot make the
 * server read gigabytes.
 */
export function answerAfterDraining(request: Request, response: Response, answer: () => void): void {
  const once = () => {
    if (!response.headersSent && !response.destroyed) answer();
  };
  if (request.complete || request.destroyed) return once();
  let drained = 0;
  const giveUp = () => {
    response.setHeader('Connection', 'close');
    once();
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
    once();
  });
  request.once('close', () => clearTimeout(timer));
  request.resume();
}

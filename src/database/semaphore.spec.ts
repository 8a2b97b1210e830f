import { Semaphore } from './database';

describe('Semaphore', () => {
  /** Queues `waiters` (their ranks) while every permit is held, then releases them; returns the order served. */
  async function served(permits: number, waiters: Array<number | undefined>): Promise<string[]> {
    const slots = new Semaphore(permits);
    const held = await Promise.all(Array.from({ length: permits }, () => slots.acquire()));
    const order: string[] = [];
    const queued = waiters.map((rank, i) =>
      slots.acquire(rank).then((release) => {
        order.push(`${i}:${rank ?? '-'}`);
        release();
      }),
    );
    for (const release of held) release();
    await Promise.all(queued);
    return order;
  }

  it('serves waiters without a rank in their order', async () => {
    expect(await served(1, [undefined, undefined, undefined])).toEqual(['0:-', '1:-', '2:-']);
  });

  it('serves a lower rank first, equal ranks in their order, and unranked waiters last', async () => {
    expect(await served(2, [5, undefined, 1, 5, 0])).toEqual(['4:0', '2:1', '0:5', '3:5', '1:-']);
  });

  it('gives a permit back once, however often release is called', async () => {
    const slots = new Semaphore(1);
    const release = await slots.acquire();
    release();
    release();
    const first = await slots.acquire();
    let second = false;
    void slots.acquire().then(() => (second = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(second).toBe(false);
    first();
    await new Promise((resolve) => setImmediate(resolve));
    expect(second).toBe(true);
  });
});

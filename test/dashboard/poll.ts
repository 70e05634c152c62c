// expect.poll with room for a loaded machine (vitest's default gives up after 1 s): what the page
// must show, it must show within this bound, however long it takes below it.
import { expect } from 'vitest';

export const poll = <T>(f: () => T | Promise<T>, o: { timeout?: number } = {}) => expect.poll(f, { timeout: 15_000, ...o });

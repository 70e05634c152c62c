import { describe, expect, it } from 'vitest';
import { prefixedExec, spawnExec } from '../../../src/drivers/uplink/exec.js';
import { fakeExec } from './fakes.js';

describe('running commands', () => {
  it('stops a hung command at its time limit and says so', async () => {
    const t0 = performance.now();
    const o = await spawnExec('sleep', ['5'], 150);
    expect(o.error).toBe('timeout');
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('reports a missing binary instead of throwing', async () => {
    expect(await spawnExec('twinfeed-no-such-binary', [], 500)).toMatchObject({ code: null, error: 'ENOENT' });
  });

  it('passes arguments without a shell, and can prefix every command (ip netns exec NS …)', async () => {
    expect((await spawnExec('echo', ['$HOME;', 'x'], 1000)).stdout).toBe('$HOME; x\n');
    const x = fakeExec();
    await prefixedExec(x.exec, ['ip', 'netns', 'exec', 'ns1'])('ping', ['-c', '1', '10.0.0.1'], 100);
    expect(x.calls).toEqual(['ip netns exec ns1 ping -c 1 10.0.0.1']);
  });
});

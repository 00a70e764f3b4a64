/**
 * On a terminal, a configure RPC without --yes asks first. `script` gives the
 * child a real pseudo-terminal, as an operator's shell would.
 */
import { spawn, spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, freshSimDir, run, runJson } from '../helpers/cli';

const hasScript = spawnSync('sh', ['-c', 'command -v script']).status === 0;

function onTerminal(args: string[], answer: string): Promise<{ output: string; code: number | null }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    let answered = false;
    child.stdin.on('error', () => undefined); // the child may be gone before we answer
    child.stdout.on('data', (d) => {
      output += d;
      if (!answered && output.includes('[y/N]')) {
        answered = true;
        child.stdin.write(`${answer}\n`);
      }
    });
    child.on('close', (code) => resolve({ output, code }));
  });
}

describe.runIf(hasScript)('confirmation prompt on a TTY', () => {
  let dir: string;
  beforeAll(async () => {
    dir = freshSimDir();
    expect((await run(['sim', 'init', dir, '--fleet', 'mlx5=1'])).code).toBe(0);
  });

  it('sends the configure RPC after a yes', async () => {
    const { output, code } = await onTerminal(['--sim-dir', dir, 'mlx5', 'port-state', 'fwctl0', 'down'], 'y');
    expect(output).toContain('changes the configuration of fwctl0. Send it? [y/N]');
    expect(code).toBe(0);
    const paos = await runJson(['mlx5', 'reg', 'fwctl0', 'PAOS'], { simDir: dir });
    expect(JSON.stringify(paos.json)).toContain('"admin_status":"down"');
  });

  it('sends nothing after a no, and exits 4', async () => {
    const { output, code } = await onTerminal(['--sim-dir', dir, 'mlx5', 'port-state', 'fwctl0', 'up'], 'n');
    expect(output).toContain('not confirmed, nothing was sent');
    expect(code).toBe(4);
    const paos = await runJson(['mlx5', 'reg', 'fwctl0', 'PAOS'], { simDir: dir });
    expect(JSON.stringify(paos.json)).toContain('"admin_status":"down"');
  });

  it('never prompts in JSON mode: refuses with exit 4 instead', async () => {
    const { output, code } = await onTerminal(['--sim-dir', dir, '-o', 'json', 'mlx5', 'port-state', 'fwctl0', 'up'], 'y');
    expect(output).not.toContain('[y/N]');
    expect(code).toBe(4);
  });
});

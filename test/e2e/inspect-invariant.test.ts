/**
 * The invariant every plugin shares: an inspect command never taints the kernel
 * and never asks for a scope above debug_read_only, even with every gate open.
 * Each plugin's own examples of its inspect commands run against the default
 * fleet; the simulated kernel's per-scope counts are the proof.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PLUGIN_NAMES, commandsOf, loadPlugin } from '../../src/core/plugins';
import { freshSimDir, run, runJson } from '../helpers/cli';

interface Example {
  plugin: string;
  args: string[];
}

async function inspectExamples(): Promise<Example[]> {
  const examples: Example[] = [];
  for (const name of BUILTIN_PLUGIN_NAMES) {
    const plugin = await loadPlugin(name);
    for (const command of commandsOf(plugin).filter((c) => c.rpcClass === 'inspect')) {
      for (const example of command.examples ?? []) {
        const words = example.split(/\s+/).filter(Boolean);
        if (words[0] === 'accelctl') words.shift();
        examples.push({ plugin: name, args: words.filter((w: string) => w !== '-o' && w !== 'json') });
      }
    }
  }
  return examples;
}

describe('inspect commands never taint', () => {
  let dir: string;
  let devices: Record<string, string>;
  let examples: Example[];

  beforeAll(async () => {
    dir = freshSimDir();
    const list = await runJson(['list'], { simDir: dir });
    devices = Object.fromEntries(list.json.devices.map((d: { plugin: string; name: string }) => [d.plugin, d.name]));
    examples = await inspectExamples();
  });

  it('every built-in plugin has a device in the default fleet and inspect examples', () => {
    expect(Object.keys(devices).sort()).toEqual([...BUILTIN_PLUGIN_NAMES].sort());
    for (const name of BUILTIN_PLUGIN_NAMES) expect(examples.some((e) => e.plugin === name), name).toBe(true);
  });

  it('running all of them, with --yes and --allow-mutate given, sends nothing above debug_read_only', async () => {
    for (const example of examples) {
      // accelctl <plugin> <command> <device> ...: point the device at this fleet's.
      const args = example.args.map((w, i) => (i === 2 ? devices[example.plugin]! : w));
      const result = await run([...args, '--yes', '--allow-mutate'], { simDir: dir });
      expect([0, 1], `${args.join(' ')}: ${result.stderr}`).toContain(result.code);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const stats = await runJson(['sim', 'stats'], { simDir: dir });
    expect(stats.json.kernel_tainted_fwctl).toBe(false);
    for (const device of stats.json.devices) {
      expect(device.requested.debug_write, device.name).toBe(0);
      expect(device.requested.debug_write_full, device.name).toBe(0);
    }
    const total = stats.json.devices.reduce((n: number, d: { requested: { configuration: number; debug_read_only: number } }) => n + d.requested.configuration + d.requested.debug_read_only, 0);
    expect(total).toBeGreaterThan(examples.length);
  });

  it('a dump of every device rewrites no simulated device state: reads are reads', async () => {
    const states = () => Object.fromEntries(Object.values(devices).map((name) => [name, readFileSync(join(dir, 'dev/fwctl', name), 'utf8')]));
    const before = states();
    const dump = await run(['dump'], { simDir: dir });
    expect(dump.code, dump.stderr).toBe(0);
    expect(states()).toEqual(before);
  });
});

/**
 * `accelctl completion bash|zsh|fish`: scripts generated from the command
 * metadata. bash is driven for real (bash-completion sourced, the completion
 * function called with COMP_WORDS/COMP_CWORD, device names completed live from
 * a simulated fleet); fish through `complete -C`; zsh parses and its completion
 * function is run with compadd/_describe stubbed. Under CI=true a missing shell
 * fails instead of skipping (CI installs: bash-completion zsh fish).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, freshSimDir, run, runJson, tempDir } from '../helpers/cli';

const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion';
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const CI = Boolean(process.env.CI);
const hasBashCompletion = has('bash') && existsSync(BASH_COMPLETION);
const hasZsh = has('zsh');
const hasFish = has('fish');

/** A directory with an `accelctl` that runs this checkout's bin/accelctl, first on PATH. */
function shimPath(): string {
  const dir = tempDir('accelctl-path-');
  writeFileSync(join(dir, 'accelctl'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
  return `${dir}:${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
}

let fleet: string;
let meta: any;
const scripts: Record<string, string> = {};
const dir = tempDir('accelctl-completion-');
let PATH: string;

beforeAll(async () => {
  fleet = freshSimDir();
  expect((await run(['sim', 'init', fleet])).code).toBe(0);
  meta = (await runJson(['commands'])).json;
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = await run(['completion', shell]);
    expect(result.code, result.stderr).toBe(0);
    scripts[shell] = result.stdout;
    writeFileSync(join(dir, shell), result.stdout);
  }
  PATH = shimPath();
}, 60_000);

describe('accelctl completion', () => {
  it('refuses an unknown shell', async () => {
    const result = await run(['completion', 'tcsh']);
    expect(result.code).toBe(2);
  });

  it('the committed contrib/completions scripts are current (npm run completions)', () => {
    const files: Record<string, string> = { bash: 'accelctl', zsh: '_accelctl', fish: 'accelctl.fish' };
    for (const [shell, file] of Object.entries(files)) {
      const path = new URL(`../../contrib/completions/${file}`, import.meta.url);
      expect(existsSync(path), `contrib/completions/${file} missing: run npm run completions`).toBe(true);
      expect(readFileSync(path, 'utf8'), `contrib/completions/${file} is stale: run npm run completions`).toBe(scripts[shell]);
    }
  });
});

/** Run the bash completion for each line (the word under the cursor is the last); one reply per line. */
function bashComplete(lines: string[][], env: Record<string, string> = {}): string[][] {
  const driver = [
    `source ${BASH_COMPLETION}`,
    `source ${join(dir, 'bash')}`,
    'complete -p accelctl',
    't() { COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _accelctl accelctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"; local IFS=" "; echo "=${COMPREPLY[*]}"; }',
    ...lines.map((words) => `t ${words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ')}`),
  ].join('\n');
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', driver], { encoding: 'utf8', env: { ...process.env, PATH, ACCELCTL_SIM_DIR: '', ...env }, timeout: 60_000 });
  expect(result.status, result.stderr).toBe(0);
  const out = result.stdout.split('\n');
  expect(out[0]).toBe('complete -F _accelctl accelctl');
  return out
    .filter((l) => l.startsWith('='))
    .map((l) => l.slice(1).split(' ').filter(Boolean).sort());
}

describe.runIf(hasBashCompletion || CI)('bash (with bash-completion)', () => {
  it('completes commands, plugin subcommands, options and option values from the metadata', () => {
    const top = meta.commands.filter((c: any) => c.parent === null).map((c: any) => c.name);
    const mlx5 = meta.commands.filter((c: any) => c.parent === 'mlx5').map((c: any) => c.name);
    const [all, co, config, plugin, output, outputJ, level, shells, plugins, opts] = bashComplete([
      ['accelctl', ''],
      ['accelctl', 'co'],
      ['accelctl', 'config', ''],
      ['accelctl', 'mlx5', ''],
      ['accelctl', '-o', ''],
      ['accelctl', '--output', 'j'],
      ['accelctl', 'bnxt', 'func-reset', 'fwctl3', '--level', ''],
      ['accelctl', 'completion', ''],
      ['accelctl', 'sim', 'fw-image', '--plugin', ''],
      ['accelctl', 'dump', '--'],
    ]);
    expect(all).toEqual([...top].sort());
    expect(all).toEqual(expect.arrayContaining(['list', 'config', 'fw', 'mlx5', 'cxl', 'pds', 'bnxt', 'completion', 'schema', 'help']));
    expect(co).toEqual(['commands', 'completion', 'config']);
    expect(config).toEqual(['reset', 'set', 'show']);
    expect(plugin).toEqual([...mlx5].sort());
    expect(output).toEqual(['json', 'prometheus', 'text']);
    expect(outputJ).toEqual(['json']);
    expect(level).toEqual(['all', 'children', 'me', 'vf']);
    expect(shells).toEqual(['bash', 'fish', 'zsh']);
    expect(plugins).toEqual(['bnxt', 'cxl', 'mlx5', 'pds']);
    expect(opts).toEqual(expect.arrayContaining(['--out', '--redact', '--concurrency', '--sim-dir', '--output', '--help']));
  });

  it('completes device names live from the fleet named on the line (--sim-dir, --sim-dir=, ACCELCTL_SIM_DIR)', () => {
    const devices = ['fwctl0', 'fwctl1', 'fwctl2', 'fwctl3'];
    const missing = join(tempDir(), 'nofleet');
    const [info, equals, split, variadic, pci, none] = bashComplete([
      ['accelctl', '--sim-dir', fleet, 'info', ''],
      ['accelctl', `--sim-dir=${fleet}`, 'fw', 'show', 'fwctl'],
      // As readline splits it: --sim-dir = DIR (bash-completion joins it back).
      ['accelctl', 'health', '--sim-dir', '=', fleet, 'fwctl0', ''],
      ['accelctl', 'metrics', 'fwctl0', 'fwctl1', '--sim-dir', fleet, ''],
      ['accelctl', '--sim-dir', fleet, 'info', '0000'],
      ['accelctl', '--sim-dir', missing, 'info', ''],
    ]);
    expect(info).toEqual(devices);
    expect(equals).toEqual(devices);
    expect(split).toEqual(devices);
    expect(variadic).toEqual(devices);
    expect(pci!.length).toBe(4);
    for (const address of pci!) expect(address).toMatch(/^0000:[0-9a-f]{2}:00\.0$/);
    expect(none).toEqual([]); // a --sim-dir that is no fleet yet: nothing, and nothing created
    expect(existsSync(missing)).toBe(false);
    const [fromEnv] = bashComplete([['accelctl', 'config', 'show', '']], { ACCELCTL_SIM_DIR: fleet });
    expect(fromEnv).toEqual(devices);
  });

  it('completes files and directories where a command takes them', () => {
    const base = tempDir('accelctl-files-');
    writeFileSync(join(base, 'image.bin'), '');
    const [image, simDir] = bashComplete([
      ['accelctl', 'fw', 'flash', 'fwctl0', join(base, 'im')],
      ['accelctl', '--sim-dir', join(base, 'ima')],
    ]);
    expect(image).toEqual([join(base, 'image.bin')]);
    expect(simDir).toEqual([]); // a file is not a directory
  });
});

describe.runIf(hasZsh || CI)('zsh', () => {
  it('the script parses (zsh -n)', () => {
    const result = spawnSync('zsh', ['-n', join(dir, 'zsh')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('its completion function offers commands, values and live devices', () => {
    const driver = `
source ${join(dir, 'zsh')}
compadd() { shift $(( $# - 1 )); print -r -- "=\${(j: :)\${(P)1}}"; }
_describe() { local a out=(); shift 3; for a in "$@"; do [[ $a == -- ]] || out+=(\${(P)a}); done; print -r -- "=\${(j: :)\${out[@]%%:*}}"; }
_files() { print -r -- "=FILES"; }
_directories() { print -r -- "=DIRS"; }
t() { words=("$@"); CURRENT=$#; _accelctl; }
t accelctl ''
t accelctl mlx5 ''
t accelctl -o ''
t accelctl --sim-dir ${fleet} info ''
t accelctl sim init ''
`;
    const result = spawnSync('zsh', ['-f', '-c', driver], { encoding: 'utf8', env: { ...process.env, PATH, ACCELCTL_SIM_DIR: '' }, timeout: 60_000 });
    expect(result.stderr).toBe('');
    const replies = result.stdout.split('\n').filter((l) => l.startsWith('=')).map((l) => l.slice(1));
    expect(replies[0]!.split(' ')).toEqual(expect.arrayContaining(['list', 'config', 'mlx5', 'completion']));
    expect(replies[1]!.split(' ')).toEqual(meta.commands.filter((c: any) => c.parent === 'mlx5').map((c: any) => c.name));
    expect(replies[2]).toBe('text json prometheus');
    expect(replies[3]).toBe('fwctl0 fwctl1 fwctl2 fwctl3');
    expect(replies[4]).toBe('DIRS');
  });
});

describe.runIf(hasFish || CI)('fish', () => {
  it('the script parses (fish -n)', () => {
    const result = spawnSync('fish', ['-n', join(dir, 'fish')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('complete -C offers commands, option values and live devices', () => {
    const lines = ['accelctl co', 'accelctl config ', 'accelctl -o ', `accelctl --sim-dir ${fleet} info `, 'accelctl bnxt func-reset fwctl3 --level '];
    const driver = [`source ${join(dir, 'fish')}`, ...lines.flatMap((l) => [`echo "#"`, `complete -C ${JSON.stringify(l)}`])].join('\n');
    const result = spawnSync('fish', ['--no-config', '-c', driver], { encoding: 'utf8', env: { ...process.env, PATH, ACCELCTL_SIM_DIR: '' }, timeout: 60_000 });
    expect(result.stderr).toBe('');
    const groups = result.stdout.split('#\n').slice(1).map((g) => g.split('\n').filter(Boolean).map((l) => l.split('\t')[0]).sort());
    expect(groups[0]).toEqual(['commands', 'completion', 'config']);
    expect(groups[1]).toEqual(['reset', 'set', 'show']);
    expect(groups[2]).toEqual(['json', 'prometheus', 'text']);
    expect(groups[3]).toEqual(['fwctl0', 'fwctl1', 'fwctl2', 'fwctl3']);
    expect(groups[4]).toEqual(['all', 'children', 'me', 'vf']);
  });
});

/**
 * Man pages are generated from the command definitions: the committed pages must
 * be exactly what the generator makes now, lint clean, and installed by npm.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderManPages } from '../../src/cli/manpages';

const manDir = new URL('../../man/', import.meta.url);
const hasMandoc = spawnSync('sh', ['-c', 'command -v mandoc']).status === 0;

describe('man pages', () => {
  it('are current: npm run man would change nothing', async () => {
    const pages = await renderManPages();
    expect(Object.keys(pages)).toEqual(expect.arrayContaining(['accelctl.8', 'accelctl-list.8', 'accelctl-rpc.8', 'accelctl-mlx5.8']));
    expect(readdirSync(manDir).filter((f) => f.endsWith('.8')).sort()).toEqual(Object.keys(pages).sort());
    for (const [file, text] of Object.entries(pages)) expect(readFileSync(new URL(file, manDir), 'utf8'), file).toBe(text);
  });

  it('are all listed in package.json "man" so npm installs them', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect([...pkg.man].sort()).toEqual(readdirSync(manDir).filter((f) => /\.[78]$/.test(f)).map((f) => `man/${f}`).sort());
    expect(pkg.man).toContain('man/accelctl-plugins.7');
  });

  it.runIf(hasMandoc || process.env.CI)('pass mandoc -T lint with no message', () => {
    // The generated pages (.8) and the hand-written guide, accelctl-plugins(7).
    const files = readdirSync(manDir).filter((f) => /\.[78]$/.test(f)).map((f) => new URL(f, manDir).pathname);
    expect(files.some((f) => f.endsWith('/accelctl-plugins.7'))).toBe(true);
    const result = spawnSync('mandoc', ['-T', 'lint', ...files], { encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.runIf(hasMandoc)('document the exit codes and the classes in accelctl(8)', () => {
    const text = execFileSync('mandoc', ['-T', 'ascii', new URL('accelctl.8', manDir).pathname], { encoding: 'utf8' }).replace(/.\x08/g, '');
    for (const word of ['EXIT STATUS', 'inspect', 'configure', 'mutate-debug', 'ACCELCTL_SIM_DIR', '--allow-mutate']) expect(text).toContain(word);
  });

  it.runIf(hasMandoc)("carry each command's --help notes and examples (NOTES, EXAMPLES) and exit status 6 of health", () => {
    const page = (name: string) => execFileSync('mandoc', ['-T', 'ascii', new URL(name, manDir).pathname], { encoding: 'utf8' }).replace(/.\x08/g, '');
    const dump = page('accelctl-dump.8');
    expect(dump).toMatch(/NOTES\n +The dump is JSON whatever -o says\./);
    expect(dump).toContain('the exit status is still 0');
    expect(dump).toMatch(/EXAMPLES\n +\$ accelctl --sim dump --out accelctl-dump\.json\n +\$ accelctl dump fwctl0 --redact > public\.json\n/);
    // Subcommands and plugin commands get theirs in their own subsection.
    expect(page('accelctl-mlx5.8')).toMatch(/accelctl mlx5 caps\n[^]*?Examples:\n +\$ accelctl mlx5 caps fwctl0\n/);
    expect(page('accelctl.8')).toMatch(/EXIT STATUS[^]*\n +6 +accelctl health: a health reporter is in error/);
    // Indented lines that are not examples stay where they were, unfilled.
    expect(page('accelctl-completion.8')).toMatch(/NOTES\n +Where distributions install them:\n +accelctl completion bash > \/usr\/share\/bash-completion\/completions\/accelctl\n/);
  });

  it.runIf(hasMandoc)('include the plugin guide, accelctl-plugins(7), covering the whole path', () => {
    const text = execFileSync('mandoc', ['-T', 'ascii', new URL('accelctl-plugins.7', manDir).pathname], { encoding: 'utf8' }).replace(/.\x08/g, '');
    for (const word of ['accelctl plugin new', 'definePlugin', 'classify', 'replyStatus', 'defaultOutLen', 'rpcKinds', 'defineCommand', 'driverCheck', 'powerCycle', 'buildImage', 'minimum', 'TAINT_FWCTL', 'malformedReply', 'node --test', 'accelctl plugin check', 'ACCELCTL_PLUGIN_PATH', 'npm publish']) {
      expect(text).toContain(word);
    }
  });
});

/**
 * Plugin manifests: out-of-tree plugins are checked when they load; built-in ones
 * are part of the build and are checked here instead (the registry skips them at
 * start-up to keep the zod manifest schema off every command's path).
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_PLUGIN_NAMES, loadPlugin, manifestProblem } from '../../src/core/plugins';

describe('plugin manifests', () => {
  it.each(BUILTIN_PLUGIN_NAMES)('the built-in %s plugin has a valid manifest', async (name) => {
    const plugin = await loadPlugin(name);
    expect(plugin.meta.name).toBe(name);
    expect(await manifestProblem(plugin.meta)).toBeUndefined();
  });

  it('names the first problem of an invalid manifest', async () => {
    expect(await manifestProblem({ name: 'Bad Name', version: '1', deviceType: 5, sdkVersion: 1, description: 'x' })).toMatch(/^meta\.name: lower-case/);
    expect(await manifestProblem({ name: 'ok', version: '1', deviceType: 0, sdkVersion: 1, description: 'x' })).toMatch(/^meta\.deviceType: /);
    expect(await manifestProblem({ name: 'ok', version: '1', deviceType: 5, sdkVersion: 99, description: 'x' })).toMatch(/^meta\.sdkVersion: must be /);
    expect(await manifestProblem(undefined)).toMatch(/^meta\.: /);
  });
});

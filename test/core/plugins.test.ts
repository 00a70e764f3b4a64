/**
 * Plugin manifests: out-of-tree plugins are checked when they load; built-in ones
 * are part of the build and are checked here instead (the registry skips them at
 * start-up to keep the zod manifest schema off every command's path).
 */
import { describe, expect, it, vi } from 'vitest';
import { AccelError } from '../../src/core/errors';
import { BUILTIN_PLUGIN_NAMES, commandsOf, loadPlugin, manifestProblem, resolveCommands } from '../../src/core/plugins';
import type { Plugin, PluginCommand } from '../../src/sdk/plugin';
import demoPlugin from '../fixtures/demo-plugin';

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

describe('plugin commands loaded on first use', () => {
  const lazy = (loader: Plugin['commands']): Plugin => ({ ...demoPlugin, commands: loader });

  it('a loader runs once, when the commands are first needed', async () => {
    let calls = 0;
    const commands = demoPlugin.commands as readonly PluginCommand[];
    const plugin = lazy(async () => (calls++, { default: commands }));
    expect(() => commandsOf(plugin)).toThrow(/not loaded yet/);
    expect(calls).toBe(0);
    expect(await resolveCommands(plugin)).toBe(commands);
    expect(await resolveCommands(plugin)).toBe(commands);
    expect(commandsOf(plugin)).toBe(commands);
    expect(calls).toBe(1);
  });

  it('a loader that fails or gives no list is the plugin\'s typed error', async () => {
    const failing = lazy(async () => {
      throw new Error('syntax error in commands.js');
    });
    await expect(resolveCommands(failing)).rejects.toMatchObject({ code: 'ACCELCTL_E_PLUGIN', message: expect.stringMatching(/demo.*failed to load its commands: syntax error/) });
    const empty = lazy(async () => ({ default: undefined as never }));
    const error = await resolveCommands(empty).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccelError);
    expect((error as AccelError).message).toMatch(/no default export of a command list/);
  });

  it('the built-in plugins load their commands lazily; a device lookup does not load them, loadPlugin does', async () => {
    vi.resetModules(); // a registry that has loaded nothing yet
    const registry = await import('../../src/core/plugins');
    for (const name of BUILTIN_PLUGIN_NAMES) {
      const plugin = (await registry.loadPlugin(name, { commands: false }))!;
      expect(typeof plugin.commands).toBe('function');
      expect((await registry.pluginForDeviceType(plugin.meta.deviceType))?.meta.name).toBe(name);
      expect(() => registry.commandsOf(plugin)).toThrow(/not loaded yet/);
      expect(registry.commandsOf(await registry.loadPlugin(name)).length).toBeGreaterThan(0);
    }
  });
});

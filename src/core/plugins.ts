/**
 * The one place that knows which plugins exist and loads them (Rollup's "one
 * plugin driver").
 *
 * Sources, in precedence order:
 *  1. built-in plugins (plugins/ in this package), imported lazily;
 *  2. npm packages named `accelctl-plugin-<name>` or `@scope/accelctl-plugin-<name>`
 *     installed next to accelctl (its own node_modules, or beside it in a global or
 *     local node_modules);
 *  3. directories listed in ACCELCTL_PLUGIN_PATH (each a plugin package, or a
 *     directory of them).
 * Nothing is loaded from the current directory unless it is named there.
 *
 * Every plugin's manifest is validated (zod) when it loads, with an error naming
 * the plugin; a second plugin claiming a name or device type already taken is
 * refused; a plugin that fails to load is reported and the others carry on.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SDK_VERSION, type Plugin, type PluginCommand, type SimulatorDefinition } from '../sdk/plugin';
import { AccelError, isAccelError } from './errors';
import { importExternal } from './external-import';

export type PluginOrigin = 'builtin' | 'npm' | 'path';

export interface PluginSource {
  /** The plugin name expected from where it was found (package name without the prefix). */
  name: string;
  origin: PluginOrigin;
  /** Package directory, or 'plugins/<name>' for built-ins. */
  location: string;
  load(): Promise<{ default?: unknown }>;
}

export interface PluginLoadResult {
  source: PluginSource;
  plugin?: Plugin;
  error?: AccelError;
}

/** Built-in plugins, in the order `sim init` creates their devices. */
const BUILTIN: Record<string, () => Promise<{ default?: unknown }>> = {
  mlx5: () => import('../../plugins/mlx5/index'),
  cxl: () => import('../../plugins/cxl/index'),
  pds: () => import('../../plugins/pds/index'),
  bnxt: () => import('../../plugins/bnxt/index'),
};

export const BUILTIN_PLUGIN_NAMES: readonly string[] = Object.keys(BUILTIN);

const PACKAGE_PATTERN = /^(?:@[a-z0-9][\w.-]*\/)?accelctl-plugin-([a-z][a-z0-9-]*)$/;

/**
 * The manifest schema, built on first use: zod schemas are costly to build and
 * only out-of-tree plugins need their manifest checked when they load.
 */
let manifestSchema: ReturnType<typeof buildManifestSchema> | undefined;

function buildManifestSchema(z: typeof import('zod').z) {
  return z.object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    version: z.string().min(1),
    deviceType: z.number().int().positive(),
    sdkVersion: z.literal(SDK_VERSION, { error: `must be ${SDK_VERSION} (the SDK version of this accelctl)` }),
    description: z.string().min(1),
    kernelDriver: z.string().optional(),
  });
}

/** Check a plugin manifest; the first problem as `meta.PATH: message`, or undefined when valid. */
export async function manifestProblem(meta: unknown): Promise<string | undefined> {
  manifestSchema ??= buildManifestSchema((await import('zod')).z);
  const result = manifestSchema.safeParse(meta);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return `meta.${issue?.path.join('.') || ''}: ${issue?.message}`;
}

/** This package's root: the nearest directory above this module with accelctl's package.json. */
function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'accelctl') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The package root as the user reached it: following bin symlinks one hop at a
 * time (a global install links PREFIX/bin/accelctl into PREFIX/lib/node_modules),
 * without resolving the package directory itself (npm may link that too).
 */
function invokedRoot(): string | undefined {
  let bin = process.argv[1];
  for (let hops = 0; bin && hops < 8; hops++) {
    try {
      const target = readlinkSync(bin);
      bin = isAbsolute(target) ? target : resolve(dirname(bin), target);
    } catch {
      break;
    }
  }
  if (!bin) return undefined;
  const root = dirname(dirname(bin));
  return existsSync(join(root, 'package.json')) ? root : undefined;
}

function nodeModulesDirs(): string[] {
  const dirs = new Set<string>();
  for (const root of [packageRoot(), invokedRoot()]) {
    if (!root) continue;
    dirs.add(join(root, 'node_modules'));
    if (basename(dirname(root)) === 'node_modules') dirs.add(dirname(root));
    if (basename(dirname(dirname(root))) === 'node_modules' && basename(dirname(root)).startsWith('@')) dirs.add(dirname(dirname(root)));
  }
  return [...dirs].filter((d) => existsSync(d));
}

function isPackageDir(dir: string): boolean {
  return existsSync(join(dir, 'package.json'));
}

function readPackage(dir: string): { name?: string; main?: string; exports?: unknown } {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch (error) {
    throw new AccelError('ACCELCTL_E_PLUGIN', `cannot read ${join(dir, 'package.json')}: ${(error as Error).message}`);
  }
}

/** The ESM entry of a plugin package: exports (".", import/default), main, or index.js. */
export function packageEntry(dir: string): string {
  const pkg = readPackage(dir);
  const pick = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      return pick(record['.'] ?? record.import ?? record.default);
    }
    return undefined;
  };
  return join(dir, pick(pkg.exports) ?? pkg.main ?? 'index.js');
}

function externalSource(dir: string, origin: PluginOrigin): PluginSource | undefined {
  let name: string | undefined;
  try {
    name = readPackage(dir).name;
  } catch {
    return undefined;
  }
  const match = name ? PACKAGE_PATTERN.exec(name) : null;
  if (!match) return undefined;
  return {
    name: match[1]!,
    origin,
    location: dir,
    load: async () => {
      await shareSdk();
      return importExternal<{ default?: unknown }>(pathToFileURL(packageEntry(dir)).href);
    },
  };
}

/**
 * The key under which the running accelctl offers its own SDK module to the
 * plugins it loads: `accelctl/sdk` (dist/sdk.js) re-exports that instance when
 * present, so an out-of-tree plugin's errors, errno objects and schemas are the
 * very classes this process checks, not a second copy from the package's
 * standalone SDK bundle.
 */
export const SHARED_SDK_KEY = Symbol.for('accelctl.sdk/v1');

async function shareSdk(): Promise<void> {
  const global = globalThis as Record<symbol, unknown>;
  global[SHARED_SDK_KEY] ??= await import('../sdk/index');
}

/**
 * Plugin packages inside a node_modules-like directory (including @scope/ folders).
 * With `anyFolder` (ACCELCTL_PLUGIN_PATH directories, where a checkout may be named
 * anything), every sub-directory with a package.json is a candidate; its package
 * name still decides.
 */
function packagesIn(dir: string, anyFolder = false): string[] {
  const found: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return found;
  }
  // The name decides before any path is built: a node_modules holds hundreds of
  // entries and this runs at the start of every command that opens a device.
  for (const entry of entries) {
    if (entry.startsWith('@')) {
      for (const scoped of packagesIn(join(dir, entry), anyFolder)) found.push(scoped);
    } else if (entry.startsWith('accelctl-plugin-') || (anyFolder && !entry.startsWith('.') && entry !== 'node_modules' && isPackageDir(join(dir, entry)))) {
      found.push(join(dir, entry));
    }
  }
  return found;
}

let cachedSources: PluginSource[] | undefined;

/** Every plugin source, built-ins first. Cheap: reads directory listings and package.json files. */
export function pluginSources(): PluginSource[] {
  if (cachedSources) return cachedSources;
  const sources: PluginSource[] = Object.entries(BUILTIN).map(([name, load]) => ({ name, origin: 'builtin' as const, location: `plugins/${name}`, load }));
  const seenDirs = new Set<string>();
  const add = (dir: string, origin: PluginOrigin) => {
    let real = dir;
    try {
      real = realpathSync.native(dir);
    } catch {
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    const source = externalSource(dir, origin);
    if (source) sources.push(source);
  };
  for (const dir of nodeModulesDirs()) for (const pkg of packagesIn(dir)) add(pkg, 'npm');
  for (const entry of (process.env.ACCELCTL_PLUGIN_PATH ?? '').split(delimiter).filter(Boolean)) {
    const dir = resolve(entry);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    if (isPackageDir(dir)) add(dir, 'path');
    else for (const pkg of packagesIn(dir, true)) add(pkg, 'path');
  }
  cachedSources = sources;
  return sources;
}

/** Names that may be used on the command line, before anything is loaded. */
export function pluginNames(): string[] {
  return [...new Set(pluginSources().map((s) => s.name))];
}

async function validate(source: PluginSource, module: { default?: unknown }): Promise<Plugin> {
  const plugin = module.default as Plugin | undefined;
  const where = source.origin === 'builtin' ? `built-in plugin '${source.name}'` : `plugin '${source.name}' (${source.location})`;
  if (!plugin || typeof plugin !== 'object') throw new AccelError('ACCELCTL_E_PLUGIN', `${where} has no default export`);
  // Built-in manifests are part of this build and checked by its tests (test/core/plugins.test.ts);
  // checking them again at every start would cost every command the manifest schema.
  const problem = source.origin === 'builtin' ? undefined : await manifestProblem(plugin.meta);
  if (problem) throw new AccelError('ACCELCTL_E_PLUGIN', `${where} has an invalid manifest: ${problem}`);
  if (plugin.meta.name !== source.name) {
    throw new AccelError('ACCELCTL_E_PLUGIN', `${where} declares the name '${plugin.meta.name}'; its package must be accelctl-plugin-${plugin.meta.name}`);
  }
  if (typeof plugin.protocol?.classify !== 'function' || typeof plugin.protocol?.replyStatus !== 'function' || !(Array.isArray(plugin.commands) || typeof plugin.commands === 'function')) {
    throw new AccelError('ACCELCTL_E_PLUGIN', `${where} lacks a protocol (classify, replyStatus) or a command list`);
  }
  return plugin;
}

/** Commands of plugins whose `commands` is a loader, once loaded. */
const loadedCommands = new WeakMap<Plugin, readonly PluginCommand[]>();

/**
 * A plugin's commands. The registry's full loads (loadPlugin, loadAllPlugins,
 * loadAllPluginResults, loadPluginFromDirectory) have loaded them; a plugin taken
 * from a device lookup (pluginForDeviceType) may not have: await resolveCommands().
 */
export function commandsOf(plugin: Plugin): readonly PluginCommand[] {
  if (typeof plugin.commands !== 'function') return plugin.commands;
  const commands = loadedCommands.get(plugin);
  if (!commands) throw new AccelError('ACCELCTL_E_INTERNAL', `the commands of plugin '${plugin.meta.name}' are not loaded yet`);
  return commands;
}

/** Load a plugin's commands if it gives a loader; a broken loader is the plugin's typed error. */
export async function resolveCommands(plugin: Plugin): Promise<readonly PluginCommand[]> {
  if (typeof plugin.commands !== 'function' || loadedCommands.has(plugin)) return commandsOf(plugin);
  let commands: unknown;
  try {
    commands = (await plugin.commands()).default;
  } catch (error) {
    throw isAccelError(error) ? error : new AccelError('ACCELCTL_E_PLUGIN', `plugin '${plugin.meta.name}' failed to load its commands: ${(error as Error)?.message ?? error}`, { cause: error });
  }
  if (!Array.isArray(commands)) throw new AccelError('ACCELCTL_E_PLUGIN', `plugin '${plugin.meta.name}': its commands module has no default export of a command list`);
  loadedCommands.set(plugin, commands as readonly PluginCommand[]);
  return commands as readonly PluginCommand[];
}

/** A load result with the plugin's commands loaded too (or the error of loading them). */
async function withCommands(result: PluginLoadResult): Promise<PluginLoadResult> {
  if (!result.plugin) return result;
  try {
    await resolveCommands(result.plugin);
    return result;
  } catch (error) {
    return { source: result.source, error: error as AccelError };
  }
}

const loading = new Map<PluginSource, Promise<PluginLoadResult>>();

function loadSource(source: PluginSource): Promise<PluginLoadResult> {
  let promise = loading.get(source);
  if (!promise) {
    promise = source
      .load()
      .then((module) => validate(source, module))
      .then(
        (plugin): PluginLoadResult => ({ source, plugin }),
        (error: unknown): PluginLoadResult => ({
          source,
          error: isAccelError(error) ? error : new AccelError('ACCELCTL_E_PLUGIN', `plugin '${source.name}' (${source.location}) failed to load: ${(error as Error)?.message ?? error}`, { cause: error }),
        }),
      );
    loading.set(source, promise);
  }
  return promise;
}

/**
 * Load every plugin. The first plugin with a name or device type wins (built-ins
 * come first); later claimants are errors naming both.
 */
export async function loadAllPluginResults({ commands = true } = {}): Promise<PluginLoadResult[]> {
  const results = await Promise.all(pluginSources().map((source) => loadSource(source).then((r) => (commands ? withCommands(r) : r))));
  const byName = new Map<string, PluginLoadResult>();
  const byType = new Map<number, PluginLoadResult>();
  return results.map((result) => {
    const plugin = result.plugin;
    if (!plugin) return result;
    const sameName = byName.get(plugin.meta.name);
    const sameType = byType.get(plugin.meta.deviceType);
    const clash = sameName ?? sameType;
    if (clash) {
      const what = sameName ? `the name '${plugin.meta.name}'` : `fwctl device type ${plugin.meta.deviceType}`;
      return {
        source: result.source,
        error: new AccelError('ACCELCTL_E_PLUGIN', `plugin '${plugin.meta.name}' (${result.source.location}) claims ${what}, already taken by ${clash.source.origin} plugin '${clash.plugin!.meta.name}' (${clash.source.location}); it is ignored`),
      };
    }
    byName.set(plugin.meta.name, result);
    byType.set(plugin.meta.deviceType, result);
    return result;
  });
}

export async function loadAllPlugins(): Promise<Plugin[]> {
  return (await loadAllPluginResults()).flatMap((r) => (r.plugin ? [r.plugin] : []));
}

/** A plugin by name, with its commands loaded unless `commands: false` (a simulator, a device lookup). */
export async function loadPlugin(name: string, { commands = true } = {}): Promise<Plugin> {
  const sources = pluginSources().filter((s) => s.name === name);
  if (sources.length === 0) {
    throw new AccelError('ACCELCTL_E_PLUGIN', `no plugin named '${name}'`, { hint: `known plugins: ${pluginNames().join(', ')}` });
  }
  // A name claimed twice is resolved the same way as for every plugin: first wins.
  if (sources.length > 1) {
    const winner = (await loadAllPluginResults({ commands })).find((r) => r.plugin?.meta.name === name);
    if (winner?.plugin) return winner.plugin;
  }
  const loaded = await loadSource(sources[0]!);
  const result = commands ? await withCommands(loaded) : loaded;
  if (result.error) throw result.error;
  return result.plugin!;
}

/** The plugin for a device; its commands are not loaded (resolveCommands when needed). */
export async function pluginForDeviceType(deviceType: number): Promise<Plugin | undefined> {
  const results = await loadAllPluginResults({ commands: false });
  return results.find((r) => r.plugin?.meta.deviceType === deviceType)?.plugin;
}

export async function loadSimulator(plugin: Plugin): Promise<SimulatorDefinition<unknown>> {
  if (!plugin.simulator) {
    throw new AccelError('ACCELCTL_E_SIM', `plugin '${plugin.meta.name}' has no simulated device`);
  }
  return (await plugin.simulator()).default;
}

/** Load (and validate) the plugin package in a directory, e.g. for `accelctl plugin check PATH`. */
export async function loadPluginFromDirectory(dir: string): Promise<PluginLoadResult> {
  const source = externalSource(resolve(dir), 'path');
  if (!source) {
    throw new AccelError('ACCELCTL_E_USAGE', `${dir} is not a plugin package`, { hint: 'its package.json must be named accelctl-plugin-<name> or @scope/accelctl-plugin-<name>' });
  }
  return withCommands(await loadSource(source));
}

/** Where a source's docs live (README.md): the package directory. */
export function sourceDirectory(source: PluginSource): string | undefined {
  if (source.origin !== 'builtin') return source.location;
  const root = packageRoot();
  return root ? join(root, source.location) : undefined;
}

/** The source a loaded plugin came from. */
export async function sourceOf(name: string): Promise<PluginSource | undefined> {
  return (await loadAllPluginResults()).find((r) => r.plugin?.meta.name === name)?.source;
}

/** For tests: forget what was discovered (ACCELCTL_PLUGIN_PATH may have changed). */
export function resetPluginDiscovery(): void {
  cachedSources = undefined;
  loading.clear();
}

/**
 * `accelctl plugin list|check|new`: what is installed, whether a plugin does what
 * the umbrella relies on (the conformance kit), and a scaffold to start one.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { AccelError } from '../core/errors';
import { fields, note, table } from '../sdk/view';
import { action } from '../cli/action';

/** Why an installed plugin elsewhere already holds this plugin's name or device type, if one does. */
async function claimedElsewhere(plugin: { meta: { name: string; deviceType: number } }, location: string): Promise<string | undefined> {
  const { loadAllPluginResults } = await import('../core/plugins');
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  };
  const self = real(location);
  for (const other of await loadAllPluginResults()) {
    if (!other.plugin || (other.source.origin !== 'builtin' && real(other.source.location) === self)) continue;
    const what = other.plugin.meta.name === plugin.meta.name ? `the name '${plugin.meta.name}'` : other.plugin.meta.deviceType === plugin.meta.deviceType ? `fwctl device type ${plugin.meta.deviceType}` : undefined;
    if (what) return `${what} is already taken by ${other.source.origin} plugin '${other.plugin.meta.name}' (${other.source.location}); accelctl would ignore this plugin`;
  }
  return undefined;
}

export function register(program: Command): void {
  const plugin = program.command('plugin').description('List, check and create accelctl plugins');

  plugin
    .command('list')
    .description('Installed plugins: name, version, source, fwctl device type, command count, and load errors')
    .action(
      action(async (runtime) => {
        const { commandsOf, loadAllPluginResults } = await import('../core/plugins');
        const results = await loadAllPluginResults();
        const plugins = results.map((r) => ({
          name: r.plugin?.meta.name ?? r.source.name,
          version: r.plugin?.meta.version ?? null,
          source: r.source.origin,
          location: r.source.location,
          device_type: r.plugin?.meta.deviceType ?? null,
          commands: r.plugin ? commandsOf(r.plugin).length : 0,
          description: r.plugin?.meta.description ?? null,
          ...(r.error ? { error: { code: r.error.code, message: r.error.message } } : {}),
        }));
        await runtime.output.result({ plugins }, () => [
          table(undefined, ['NAME', 'VERSION', 'SOURCE', 'DEVICE TYPE', 'COMMANDS', 'DESCRIPTION'], plugins.map((p) => [p.name, p.version, p.source, p.device_type, p.commands, p.error ? `error: ${p.error.message}` : p.description])),
        ]);
      }),
    );

  plugin
    .command('check')
    .description('The conformance kit: check a plugin (by name, or a package directory) against its own simulated device')
    .argument('<plugin>', 'plugin name, or path to a plugin package directory')
    .option('--seed <n>', 'seed for the random requests and replies', '1')
    .action(
      action(async (runtime, [target], options) => {
        const { loadPlugin, loadPluginFromDirectory, sourceDirectory, sourceOf } = await import('../core/plugins');
        const { checkPlugin } = await import('../core/conformance');
        const name = String(target);
        const seed = Number(options.seed);
        if (!Number.isSafeInteger(seed)) throw new AccelError('ACCELCTL_E_USAGE', `--seed: '${options.seed}' is not a whole number`);
        let report;
        if (existsSync(name) && statSync(name).isDirectory()) {
          const result = await loadPluginFromDirectory(name);
          report = result.plugin
            ? await checkPlugin(result.plugin, { docsDir: result.source.location, seed })
            : { plugin: result.source.name, passed: false, findings: [{ check: 'manifest', ok: false, detail: result.error?.message ?? 'failed to load' }] };
          if (result.plugin) {
            // The name and device type must be free: another installed plugin claiming either wins over this one.
            const clash = await claimedElsewhere(result.plugin, result.source.location);
            report.findings.unshift({ check: 'unique name and device type', ok: !clash, detail: clash ?? `'${result.plugin.meta.name}' and device type ${result.plugin.meta.deviceType} are free` });
            report.passed = report.findings.every((f) => f.ok);
          }
        } else {
          const loaded = await loadPlugin(name);
          const source = await sourceOf(name);
          report = await checkPlugin(loaded, { ...(source ? { docsDir: sourceDirectory(source) } : {}), seed });
        }
        if (report.passed && report.findings.length) report.findings.unshift({ check: 'manifest', ok: true, detail: 'valid' });
        const failed = report.findings.filter((f) => !f.ok);
        await runtime.output.result({ plugin: report.plugin, passed: report.passed, findings: report.findings }, () => [
          table(`Conformance of ${report.plugin}`, ['CHECK', 'RESULT', 'DETAIL'], report.findings.map((f) => [f.check, f.ok ? 'ok' : 'FAIL', f.detail])),
          note(report.passed ? 'all checks passed' : `${failed.length} check(s) failed`, report.passed ? 'info' : 'warn'),
        ]);
        if (!report.passed) {
          throw new AccelError('ACCELCTL_E_PLUGIN', `plugin ${report.plugin} fails ${failed.length} conformance check(s): ${failed.map((f) => f.check).join(', ')}`);
        }
      }),
    );

  plugin
    .command('new')
    .description('Create a plugin package for a small made-up accelerator: protocol, classifier, firmware model, two commands, tests')
    .argument('<name>', 'plugin name (lower-case, e.g. acme)')
    .option('--dir <dir>', 'where to create it (default: ./accelctl-plugin-NAME)')
    .option('--device-type <n>', 'fwctl device type number it claims (pick one no kernel driver uses)', '200')
    .action(
      action(async (runtime, [name], options) => {
        const { scaffoldPlugin } = await import('../core/scaffold');
        const created = scaffoldPlugin(String(name), { ...(options.dir === undefined ? {} : { dir: String(options.dir) }), deviceType: Number(options.deviceType) });
        await runtime.output.result({ name: String(name), dir: created.dir, files: created.files }, () => [
          fields(`Created accelctl-plugin-${String(name)}`, [
            ['directory', created.dir],
            ['files', created.files.length],
          ]),
          note(`next: cd ${created.dir} && npm test; then install it next to accelctl (npm install -g ${created.dir}) or add its parent directory to ACCELCTL_PLUGIN_PATH`),
        ]);
      }),
    );
}

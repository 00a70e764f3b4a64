/**
 * `accelctl dump [DEV...] [--out FILE] [--redact]`: a bug-report dump for
 * distributions. One JSON document: a manifest, then every selected device's
 * identity, info, firmware, configuration, health and the result of each of its
 * plugin's inspect commands. Only inspect RPCs are ever sent (enforced by the
 * pipeline); devices run in parallel with bounded concurrency and are streamed
 * out in order, so memory does not grow with the number of devices. With
 * --out, the file appears only when the dump is complete.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { hostname, release } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { forEachOrdered } from '../core/concurrency';
import { DEVICE_CONCURRENCY, selectMany } from '../core/devices';
import { dumpDevice, type DeviceDump } from '../core/dump';
import { AccelError } from '../core/errors';
import { loadAllPlugins } from '../core/plugins';
import { readTaint } from '../core/privilege';
import { Redactor } from '../core/redact';
import { jsonReplacer } from '../output/json';
import { action } from '../cli/action';
import { tuneTieringForShortRuns } from '../core/tiering';
import { VERSION } from '../cli/program';
import { monotonicMs } from '../core/clock';
import { OutputFile } from '../output/output-file';
import { stdoutStream } from '../output/stdout';

/** Writes the document piece by piece to stdout, or to the --out file (output-file.ts: complete or absent). */
class DumpWriter {
  /** Standard output when undefined. */
  private readonly file: OutputFile | undefined;

  constructor(out: string | undefined) {
    // A dump names serial numbers and hosts: readable by its owner only.
    const file = out === undefined ? undefined : OutputFile.open(out, 0o600);
    // `--out /dev/stdout` is standard output, written as such (see write()).
    this.file = file?.isStandardOutput ? undefined : file;
  }

  /**
   * Standard output goes through process.stdout (stdoutStream), which waits for a
   * slower reader (a pipe: `accelctl dump | gzip`) without blocking: the devices
   * still being dumped go on meanwhile, where a blocking write(2) would hold up
   * their RPCs and their timeouts.
   */
  async write(text: string): Promise<void> {
    if (this.file) return this.file.write(text);
    const stdout = stdoutStream();
    if (!stdout.write(text)) await once(stdout, 'drain');
  }

  commit(): void {
    this.file?.commit();
  }

  abort(): void {
    this.file?.abort();
  }
}

function kernelRelease(root: string, simulated: boolean): string {
  if (simulated) {
    try {
      return readFileSync(join(root, 'proc/sys/kernel/osrelease'), 'utf8').trim();
    } catch {
      // fall through to the host's
    }
  }
  return release();
}

/**
 * `value` as JSON text for a place `depth` levels into the dump document (an
 * object's member or an array's item), indented to that depth by JSON.stringify
 * itself: it is rendered nested in `depth` one-item arrays and cut out, because
 * re-indenting a device's text afterwards cost a copy of the whole dump. Level i
 * of the nesting adds '[\n' and 2i spaces before the value and '\n', 2(i-1)
 * spaces and ']' after it.
 */
function jsonAtDepth(value: unknown, depth: number): string {
  let nested = value;
  for (let i = 0; i < depth; i++) nested = [nested];
  const head = 2 * depth + depth * (depth + 1);
  const tail = 2 * depth + depth * (depth - 1);
  return JSON.stringify(nested, jsonReplacer, 2).slice(head, -tail);
}

export function register(program: Command): void {
  program
    .command('dump')
    .description('Write a bug-report dump of every device (inspect RPCs only, never changes a device), as one JSON document')
    .argument('[devices...]', 'devices (default: all)')
    .option('--out <file>', 'write the dump to FILE (created only when complete) instead of stdout')
    .option('--redact', 'replace serial numbers, MAC addresses, GUIDs and host names with stable pseudonyms')
    .option('--concurrency <n>', 'devices dumped at once', String(DEVICE_CONCURRENCY))
    .addHelpText(
      'after',
      '\nThe dump is JSON whatever -o says. Each device is one snapshot: an inspect request that two sections ' +
        'share is sent once and its reply reused. A device that fails or stops answering is recorded with its ' +
        'errors; the exit status is still 0 and a warning on stderr names it. Examples:\n  $ accelctl --sim dump --out accelctl-dump.json\n  $ accelctl dump fwctl0 --redact > public.json',
    )
    .action(
      action(async (runtime, [selectors], options) => {
        const concurrency = Number(options.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new AccelError('ACCELCTL_E_USAGE', `--concurrency: expected 1..256, got '${options.concurrency}'`);
        // Many devices make many functions hot for a few hundred milliseconds (see the file).
        tuneTieringForShortRuns();
        const app = await runtime.app();
        const entries = selectMany(app, (selectors as string[] | undefined) ?? []);
        const plugins = await loadAllPlugins();
        const redactor = options.redact ? new Redactor() : undefined;
        const host = hostname();
        redactor?.addLiteral(host, 'host');
        for (const entry of entries) redactor?.addLiteral(entry.serial, 'serial');
        const clean = <T>(value: T): T => (redactor ? redactor.redact(value) : value);

        const taintBefore = readTaint(app.env.root);
        const manifest = clean({
          accelctl_version: VERSION,
          plugins: plugins.map((p) => ({ name: p.meta.name, version: p.meta.version, device_type: p.meta.deviceType })),
          kernel_release: kernelRelease(app.env.root, app.env.simulated),
          kernel_taint: taintBefore ? { value: taintBefore.value, fwctl: taintBefore.fwctl } : null,
          time: new Date().toISOString(),
          host,
          command_line: ['accelctl', ...process.argv.slice(2)],
          simulated: app.env.simulated,
          redacted: Boolean(redactor),
          timeout_ms: runtime.globals.timeoutMs,
          concurrency,
        });

        const writer = new DumpWriter(options.out === undefined ? undefined : String(options.out));
        const started = monotonicMs();
        const failedDevices: string[] = [];
        let commands = 0;
        let errors = 0;
        try {
          await writer.write(`{\n  "schema_version": 1,\n  "manifest": ${jsonAtDepth(manifest, 1)},\n  "devices": [`);
          await forEachOrdered(
            entries,
            concurrency,
            // Without --redact a finished device is serialized at once: while it waits for
            // an earlier one to be written it holds a string, not its decoded object graph.
            // Redaction numbers pseudonyms by first appearance, so it runs in document order.
            async (entry) => {
              const dump: DeviceDump = await dumpDevice(app, entry);
              return {
                failed: Boolean(dump.error || dump.hung),
                // Why, for the warning below: the device's own error, or what made it stop answering.
                failure: dump.error?.code ?? (dump.hung ? (dump.commands.find((c) => c.error)?.error?.code ?? 'ACCELCTL_E_TIMEOUT') : undefined),
                commands: dump.commands.length,
                errors: dump.commands.filter((c) => c.error).length,
                dump: redactor ? dump : undefined,
                text: redactor ? undefined : jsonAtDepth(dump, 2),
              };
            },
            async (done, index) => {
              if (done.failed) failedDevices.push(`${entries[index]!.name} (${done.failure})`);
              commands += done.commands;
              errors += done.errors;
              await writer.write(`${index ? ',' : ''}\n    ${done.text ?? jsonAtDepth(clean(done.dump), 2)}`);
            },
          );
          const taintAfter = readTaint(app.env.root);
          const summary = {
            devices: entries.length,
            failed_devices: failedDevices.length,
            commands,
            command_errors: errors,
            seconds: Number(((monotonicMs() - started) / 1000).toFixed(3)),
            kernel_taint_changed: (taintAfter?.value ?? 0) !== (taintBefore?.value ?? 0),
          };
          await writer.write(`${entries.length ? '\n  ' : ''}],\n  "summary": ${jsonAtDepth(summary, 1)}\n}\n`);
          writer.commit();
          if (options.out !== undefined) runtime.output.note(`wrote ${String(options.out)}: ${entries.length} devices, ${commands} commands, ${errors} errors`);
          // The dump is still whole (exit 0, as a bug-report collector should), but whoever
          // redirected it to a file would otherwise not learn that a device did not answer.
          if (failedDevices.length) {
            await runtime.output.warn(`${failedDevices.length} of ${entries.length} devices could not be dumped completely: ${failedDevices.join(', ')}; their errors are in the dump`);
          }
        } catch (error) {
          writer.abort();
          throw error;
        }
      }),
    );
}

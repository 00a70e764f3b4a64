/**
 * `accelctl fw show|flash|activate`: the devlink-flash / fwupd experience for
 * every plugin that can do it. An image is checked (format, size, checksum,
 * target) before a byte goes to the device; the plugin writes the inactive
 * bank in the device's own chunking; the running image is never touched until
 * activation.
 */
import type { Command } from 'commander';
import { openCapable } from '../cli/device';
import { withDeviceLock } from '../core/device-lock';
import { AccelError, isAccelError, withoutDevicePrefix } from '../core/errors';
import { readInputFile } from '../core/input-file';
import type { FirmwareSupport, FirmwareVersions, FlashProgress } from '../sdk/capabilities';
import { fields, note, table, type View } from '../sdk/view';
import { action } from '../cli/action';
import { DEVICE_ARG_HELP } from '../cli/plugin-commands';
import { createProgress } from '../output/progress';
import { monotonicMs } from '../core/clock';
import { writeStdout } from '../output/stdout';

export function versionsBody(v: FirmwareVersions) {
  return { fixed: v.fixed, running: v.running, stored: v.stored, active_bank: v.activeBank ?? null, pending_activation: v.pendingActivation, ...(v.note ? { note: v.note } : {}) };
}

export function versionViews(device: string, v: FirmwareVersions): View[] {
  const components = [...new Set([...Object.keys(v.running), ...Object.keys(v.stored)])];
  return [
    fields(`Firmware of ${device}`, [...Object.entries(v.fixed), ['active bank', v.activeBank ?? '-'], ['pending activation', v.pendingActivation]]),
    table(undefined, ['COMPONENT', 'RUNNING', 'STORED'], components.map((c) => [c, v.running[c] ?? '-', v.stored[c] ?? '-'])),
    ...(v.pendingActivation ? [note("a stored image waits for activation: 'accelctl fw activate DEV --yes' or 'accelctl reset DEV --yes'")] : []),
    ...(v.note ? [note(v.note)] : []),
  ];
}

/** Far above any device's firmware (tens of MB): past it, a file is not an image. */
const MAX_IMAGE_BYTES = 256 * 1024 * 1024;

function readImage(path: string): Uint8Array {
  const image = readInputFile(path, MAX_IMAGE_BYTES, 'image');
  if (image.length === 0) throw new AccelError('ACCELCTL_E_BAD_IMAGE', `image ${path} is empty (0 bytes)`, { hint: 'the file was not written completely; build or download it again' });
  return image;
}

/**
 * A device whose fwctl interface cannot flash (cxl, pds) lists no flash RPCs;
 * its plugin's flash()/activate() throw the plain "use this instead" error. Ask
 * it first, before the image is even read, so that is what the operator sees.
 */
function cannotFlash(support: FirmwareSupport): boolean {
  return support.flashClass === undefined || support.rpcs.flash.length === 0;
}

/** Refusals (exit 4) pass through untouched; other failures once bytes went out say what state the device is in. */
const PASS_THROUGH = new Set(['ACCELCTL_E_NEEDS_YES', 'ACCELCTL_E_NEEDS_ALLOW_MUTATE', 'ACCELCTL_E_UNCLASSIFIED', 'ACCELCTL_E_NOT_INSPECT', 'ACCELCTL_E_PRIVILEGE', 'ACCELCTL_E_BAD_IMAGE', 'ACCELCTL_E_USAGE']);

function interrupted(device: string, error: unknown, last: FlashProgress | undefined): unknown {
  if (!isAccelError(error) || PASS_THROUGH.has(error.code) || last === undefined) return error;
  const where = last.phase === 'write' ? `after ${last.done} of ${last.total} bytes` : last.phase === 'prepare' ? `in its first chunk (of ${last.total} bytes)` : `during ${last.phase}`;
  const inner = withoutDevicePrefix(error.message, device);
  return new AccelError(error.code, `${device}: firmware flash failed ${where}: ${inner}`, {
    hint: `the running firmware is untouched and stays in use; the inactive bank holds no valid image. Flash again: 'accelctl fw flash ${device} IMAGE --yes'${error.hint ? ` (${error.hint})` : ''}`,
    cause: error,
    details: { ...(error.details ?? {}), phase: last.phase, bytes_done: last.done, bytes_total: last.total },
  });
}

export function register(program: Command): void {
  const fw = program.command('fw').description('Show, flash and activate device firmware');

  fw.command('show')
    .description('Firmware versions: fixed (board, PSID), running, stored, active bank, pending activation')
    .argument('<device>', DEVICE_ARG_HELP)
    .action(
      action(async (runtime, [selector]) => {
        const { device, support, ctx } = await openCapable(runtime, selector, 'firmware');
        const shown = await support.show(ctx);
        // A CXL memdev's firmware_version: what the kernel read at probe, where fwctl cannot ask.
        const sysfs = device.entry.firmwareVersion;
        const versions = sysfs ? { ...shown, fixed: { ...shown.fixed, sysfs_firmware_version: sysfs } } : shown;
        await runtime.output.result({ device: device.entry.name, ...versionsBody(versions) }, () => versionViews(device.entry.name, versions));
      }),
    );

  fw.command('flash')
    .description('Check an image, write it to the inactive bank with progress, and verify it; the running image is untouched until activation')
    .argument('<device>', DEVICE_ARG_HELP)
    .argument('<image>', 'firmware image file')
    .option('--component <name>', 'only this component of the image')
    .addHelpText('after', "\nIn JSON mode, progress is printed as JSON lines ({\"event\":\"progress\"...}) before the result line.\n\nExamples:\n  $ accelctl sim fw-image --plugin mlx5 --version 28.40.1000 --out fw.bin\n  $ accelctl --sim fw flash fwctl0 fw.bin --yes")
    .action(
      action(async (runtime, [selector, imagePath], options) => {
        const { device, support, ctx } = await openCapable(runtime, selector, 'firmware');
        if (cannotFlash(support)) await support.flash(ctx, new Uint8Array(0), { progress: () => undefined });
        const image = readImage(String(imagePath));
        const info = support.inspectImage(image);
        if (options.component !== undefined && !info.components.includes(String(options.component))) {
          throw new AccelError('ACCELCTL_E_USAGE', `--component: the image has no component '${options.component}'`, { hint: `components: ${info.components.join(', ')}` });
        }
        await support.checkTarget(ctx, info);
        if (support.flashClass === 'configure') await device.pipeline.confirmConfigure(`Flash ${info.version} (${info.size} bytes) to ${device.entry.name}?`);
        const mode = runtime.output.json ? 'json' : process.stderr.isTTY ? 'tty' : 'quiet';
        const progress = await createProgress(mode, device.entry.name);
        const started = monotonicMs();
        let result;
        let last: FlashProgress | undefined;
        try {
          // A flash is a multi-step state machine in the device: one accelctl at a time.
          result = await withDeviceLock(device.entry, () =>
            support.flash(ctx, image, {
              ...(options.component === undefined ? {} : { component: String(options.component) }),
              progress: (p) => {
                last = p;
                progress.update(p);
              },
            }),
          );
        } catch (error) {
          progress.stop();
          throw interrupted(device.entry.name, error, last);
        } finally {
          progress.stop();
        }
        const seconds = (monotonicMs() - started) / 1000;
        const body = {
          ...(runtime.output.json ? { event: 'result' } : {}),
          device: device.entry.name,
          image: { version: info.version, target: info.target, size: info.size, components: info.components, format: info.format },
          verified: result.verified,
          seconds: Number(seconds.toFixed(3)),
          activation: result.activation,
        };
        if (runtime.output.json) writeStdout(`${JSON.stringify({ schema_version: 1, ...body })}\n`);
        else
          await runtime.output.result(body, () => [
            fields(`Flashed ${device.entry.name}`, [
              ['version', info.version],
              ['bytes', info.size],
              ['verified', result.verified],
              ['time', `${seconds.toFixed(2)} s`],
            ]),
            note(`to run it: ${result.activation}`),
          ]);
      }),
    );

  fw.command('activate')
    .description('Make the stored firmware image run')
    .argument('<device>', DEVICE_ARG_HELP)
    .action(
      action(async (runtime, [selector]) => {
        const { device, support, ctx } = await openCapable(runtime, selector, 'firmware');
        // A device that cannot be flashed through fwctl says so itself.
        if (cannotFlash(support)) await support.activate(ctx);
        const before = await support.show(ctx);
        if (!before.pendingActivation) {
          throw new AccelError('ACCELCTL_E_USAGE', `${device.entry.name}: no stored image is waiting for activation`, { hint: "flash one first: 'accelctl fw flash DEV IMAGE'" });
        }
        if (support.flashClass === 'configure') await device.pipeline.confirmConfigure(`Activate the stored firmware on ${device.entry.name}? The device resets.`);
        await support.activate(ctx);
        const after = await support.show(ctx);
        await runtime.output.result({ device: device.entry.name, activated: true, ...versionsBody(after) }, () => versionViews(device.entry.name, after));
      }),
    );
}

/**
 * `accelctl rpc DEV --in HEX|@FILE`: raw passthru of exactly the fwctl `in`
 * bytes. It is still classified by the plugin and gated by policy like any other
 * RPC: raw does not mean unchecked.
 */
import { readInputFile } from '../core/input-file';
import { FWCTL_MAX_RPC_LEN } from '../transport/uapi';
import type { Command } from 'commander';
import { AccelError } from '../core/errors';
import { scopeName } from '../core/scope';
import { DryRunStop } from '../core/pipeline';
import { parseHex, toHex } from '../sdk/hex';
import { fields } from '../sdk/view';
import { action } from '../cli/action';
import { DEVICE_ARG_HELP } from '../cli/plugin-commands';

/** `--in`: hex on the command line, or @FILE with the raw request bytes. */
export function readRequest(value: string): Uint8Array {
  if (value.startsWith('@')) {
    // fwctl takes at most 2 MiB in (FWCTL_MAX_RPC_LEN): a longer file is no request.
    return readInputFile(value.slice(1), FWCTL_MAX_RPC_LEN, '--in');
  }
  return parseHex(value, '--in');
}

function parseOutLen(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const n = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new AccelError('ACCELCTL_E_USAGE', `--out-len: '${text}' is not a byte count`);
  return n;
}

export function register(program: Command): void {
  program
    .command('rpc')
    .description('Send raw fwctl RPC bytes (classified and gated like every RPC); prints class, scope, request and reply')
    .argument('<device>', DEVICE_ARG_HELP)
    .requiredOption('--in <hex|@file>', 'request bytes: hex digits, or @FILE with the raw bytes')
    .option('--out-len <bytes>', 'reply buffer size (default: what the plugin expects for this request)')
    .addHelpText('after', '\nExamples:\n  $ accelctl --sim rpc fwctl0 --in 01000000000000000000000000000000 --dry-run\n  $ accelctl --sim rpc fwctl0 --in @request.bin -o json')
    .action(
      action(async (runtime, [selector], options) => {
        const request = readRequest(String(options.in));
        const outLen = parseOutLen(options.outLen);
        const app = await runtime.app();
        const device = await app.openSelected(String(selector));
        if (runtime.globals.dryRun) {
          // Raw passthru: a dry run sends nothing at all, not even a read.
          const c = await device.pipeline.classify(request);
          throw new DryRunStop(device.pipeline.plan(c, request, device.pipeline.replyBufferSize(request, outLen)));
        }
        const { reply, classification } = await device.pipeline.send(request, [], { ...(outLen === undefined ? {} : { outLen }), allowDeviceError: true });
        const protocol = device.plugin.protocol;
        const status = protocol.replyStatus(request, reply);
        let decoded: unknown;
        try {
          decoded = protocol.decodeReply?.(request, reply);
        } catch {
          decoded = undefined; // passthru still shows the raw reply
        }
        const body = {
          device: device.entry.name,
          sent: true,
          rpc: classification.name,
          class: classification.rpcClass,
          scope: scopeName(classification.scope),
          request: toHex(request),
          reply: toHex(reply),
          status: status.ok ? { ok: true } : { ok: false, status: status.status, message: status.message, ...(status.detail ?? {}) },
          ...(decoded === undefined ? {} : { decoded }),
        };
        await runtime.output.result(body, () => [
          fields(undefined, [
            ['device', body.device],
            ['rpc', body.rpc],
            ['class', body.class],
            ['scope', body.scope],
            ['status', status.ok ? 'ok' : `${status.message} (0x${status.status.toString(16)})`],
            ['request', body.request],
            ['reply', body.reply],
          ]),
          ...(decoded && typeof decoded === 'object'
            ? [fields('decoded', Object.entries(decoded as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : (v as string)] as const))]
            : []),
        ]);
        if (!status.ok) {
          throw new AccelError('ACCELCTL_E_DEVICE_STATUS', `${device.entry.name}: ${classification.name} failed in the device: ${status.message} (status 0x${status.status.toString(16)})`);
        }
      }),
    );
}

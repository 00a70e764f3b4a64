/**
 * `accelctl plugin new NAME`: a complete plugin package for a small made-up
 * accelerator (the "Widget"), written against accelctl/sdk only, in plain ESM
 * JavaScript so it needs no build step. Its own `npm test` (node:test) passes
 * out of the box, and accelctl picks it up once installed next to it or listed
 * in ACCELCTL_PLUGIN_PATH. It is also the worked example of accelctl-plugins(7).
 */
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AccelError } from './errors';

function accelctlRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'accelctl'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const files = (name: string, deviceType: number, title: string): Record<string, string> => ({
  'package.json': `${JSON.stringify(
    {
      name: `accelctl-plugin-${name}`,
      version: '0.1.0',
      description: `accelctl plugin for the ${title} (a made-up accelerator)`,
      type: 'module',
      main: 'index.js',
      exports: { '.': './index.js' },
      files: ['index.js', 'protocol.js', 'sim.js', 'commands', 'README.md'],
      keywords: ['accelctl-plugin', 'fwctl'],
      peerDependencies: { accelctl: '>=0.1.0' },
      scripts: { test: 'node --test' },
      license: 'MIT',
    },
    null,
    2,
  )}\n`,
  '.gitignore': 'node_modules/\n',
  'index.js': `// accelctl plugin for the ${title}: plain data, as accelctl expects.
import { definePlugin } from 'accelctl/sdk';
import { DEVICE_TYPE, protocol } from './protocol.js';
import status from './commands/status.js';
import setFan from './commands/set-fan.js';

export default definePlugin({
  meta: {
    name: '${name}',
    version: '0.1.0',
    deviceType: DEVICE_TYPE,
    sdkVersion: 1,
    description: '${title} (made-up accelerator)',
  },
  protocol,
  commands: [status, setFan],
  async identify(ctx) {
    const s = await status.run(ctx, { args: [], options: {} });
    return { model: '${title}', firmware: s.firmware };
  },
  simulator: () => import('./sim.js'),
});
`,
  'protocol.js': `// The ${title} wire format (made up, little-endian):
//   request: opcode u16 @0, reserved u16 @2, argument u32 @4            (8 bytes)
//   reply:   status u32 @0, then the opcode's payload
// The classifier below must reach exactly the decision the kernel driver
// reaches (sim.js models that driver): class and MINIMUM scope, or undefined.
import { Scope, defineStruct, malformedReply } from 'accelctl/sdk';

export const DEVICE_TYPE = ${deviceType};

export const Request = defineStruct('widget_request', 8, {
  opcode: { at: 0, type: 'u16le' },
  argument: { at: 4, type: 'u32le' },
});

export const ReplyHeader = defineStruct('widget_reply', 4, { status: { at: 0, type: 'u32le' } });

export const StatusPayload = defineStruct('widget_status', 16, {
  temperature_c: { at: 0, type: 'u16le' },
  fan_rpm: { at: 2, type: 'u16le' },
  uptime_s: { at: 4, type: 'u32le' },
  fw_major: { at: 8, type: 'u8' },
  fw_minor: { at: 9, type: 'u8' },
  fw_patch: { at: 10, type: 'u16le' },
});

export const Opcode = { GET_STATUS: 0x01, GET_COUNTERS: 0x02, SET_FAN: 0x10, POKE_REG: 0x20 };

/** opcode → class and minimum scope (what the driver table says). */
export const TABLE = new Map([
  [Opcode.GET_STATUS, { name: 'GET_STATUS', rpcClass: 'inspect', scope: Scope.CONFIGURATION, description: 'temperature, fan, uptime, firmware version' }],
  [Opcode.GET_COUNTERS, { name: 'GET_COUNTERS', rpcClass: 'inspect', scope: Scope.DEBUG_READ_ONLY, description: 'debug counters' }],
  [Opcode.SET_FAN, { name: 'SET_FAN', rpcClass: 'configure', scope: Scope.CONFIGURATION, description: 'fan speed target' }],
  [Opcode.POKE_REG, { name: 'POKE_REG', rpcClass: 'mutate-debug', scope: Scope.DEBUG_WRITE, description: 'raw register write' }],
]);

export const STATUS_NAMES = { 1: 'BAD_OPCODE', 2: 'BAD_ARGUMENT', 3: 'BUSY' };

export function encode(opcode, argument = 0) {
  return Request.encode({ opcode, argument });
}

/** The payload of a successful reply; typed errors only, whatever the bytes. */
export function payloadOf(reply, size) {
  if (reply.length < 4 + size) throw malformedReply(\`widget reply: need \${4 + size} bytes, have \${reply.length}\`);
  return reply.subarray(4, 4 + size);
}

export const protocol = {
  classify(request) {
    if (request.length < Request.size) return undefined;
    const entry = TABLE.get(Request.get(request, 'opcode'));
    return entry ? { name: entry.name, rpcClass: entry.rpcClass, scope: entry.scope } : undefined;
  },
  replyStatus(_request, reply) {
    const status = ReplyHeader.get(reply, 'status');
    return status === 0 ? { ok: true } : { ok: false, status, message: STATUS_NAMES[status] ?? \`status \${status}\` };
  },
  defaultOutLen: () => 64,
  decodeReply(request, reply) {
    const status = ReplyHeader.get(reply, 'status');
    if (status !== 0 || request.length < 2 || Request.get(request, 'opcode') !== Opcode.GET_STATUS) return { status };
    return { status, ...StatusPayload.decode(payloadOf(reply, StatusPayload.size)) };
  },
  rpcKinds: [...TABLE.values()],
};
`,
  'commands/status.js': `import { defineCommand, fields } from 'accelctl/sdk';
import { Opcode, StatusPayload, encode, payloadOf } from '../protocol.js';

export default defineCommand({
  name: 'status',
  summary: 'Temperature, fan speed, uptime and firmware version',
  description: 'Reads GET_STATUS (inspect, configuration scope) and decodes it.',
  rpcClass: 'inspect',
  rpcs: ['GET_STATUS'],
  examples: ['accelctl ${name} status fwctl0', 'accelctl ${name} status fwctl0 -o json'],
  async run(ctx) {
    const s = StatusPayload.decode(payloadOf(await ctx.rpc(encode(Opcode.GET_STATUS)), StatusPayload.size));
    return {
      temperature_c: s.temperature_c,
      fan_rpm: s.fan_rpm,
      uptime_s: s.uptime_s,
      firmware: \`\${s.fw_major}.\${s.fw_minor}.\${s.fw_patch}\`,
    };
  },
  render: (r) => [fields(undefined, [['temperature', \`\${r.temperature_c} °C\`], ['fan', \`\${r.fan_rpm} rpm\`], ['uptime', \`\${r.uptime_s} s\`], ['firmware', r.firmware]])],
});
`,
  'commands/set-fan.js': `import { defineCommand, option, z } from 'accelctl/sdk';
import { Opcode, encode } from '../protocol.js';

export default defineCommand({
  name: 'set-fan',
  summary: 'Set the fan speed target (configure: needs --yes)',
  rpcClass: 'configure',
  rpcs: ['SET_FAN'],
  options: { rpm: option(z.number().int().min(1000).max(12000), 'fan speed target in rpm', { valueName: 'RPM' }) },
  examples: ['accelctl ${name} set-fan fwctl0 --rpm 6000 --yes'],
  async run(ctx, { options }) {
    await ctx.rpc(encode(Opcode.SET_FAN, options.rpm));
    return { fan_target_rpm: options.rpm };
  },
});
`,
  'sim.js': `// The simulated ${title}: the kernel driver's checks, then the firmware model.
import { Scope, defineSimulator } from 'accelctl/sdk';
import { Opcode, ReplyHeader, Request, StatusPayload } from './protocol.js';

// The driver's own table, written independently of the classifier on purpose:
// the conformance kit compares the two.
const MIN_SCOPE = { [Opcode.GET_STATUS]: Scope.CONFIGURATION, [Opcode.SET_FAN]: Scope.CONFIGURATION, [Opcode.GET_COUNTERS]: Scope.DEBUG_READ_ONLY, [Opcode.POKE_REG]: Scope.DEBUG_WRITE };

function reply(status, payload = new Uint8Array()) {
  const out = new Uint8Array(4 + payload.length);
  ReplyHeader.write(out, { status });
  out.set(payload, 4);
  return out;
}

export default defineSimulator({
  pci: { vendor: 0x1af4, device: 0x10ff, classCode: 0x120000, driver: '${name}_pci' },
  topology: 'pci',
  model: '${title}',
  create: () => ({ fan_rpm: 4000, booted_at: 0, registers: {} }),
  info: () => new Uint8Array(),
  driverCheck(scope, request) {
    if (request.length < 8) return 'EINVAL';
    const needed = MIN_SCOPE[Request.get(request, 'opcode')];
    if (needed === undefined || scope < needed) return 'EBADMSG';
    return undefined;
  },
  firmware(state, request, _outLen, env) {
    const opcode = Request.get(request, 'opcode');
    const argument = Request.get(request, 'argument');
    switch (opcode) {
      case Opcode.GET_STATUS: {
        if (!state.booted_at) return reply(0, StatusPayload.encode({ temperature_c: 45, fan_rpm: state.fan_rpm, uptime_s: 0, fw_major: 1, fw_minor: 2, fw_patch: 3 }));
        return reply(0, StatusPayload.encode({ temperature_c: 45 + Math.round(state.fan_rpm < 3000 ? 20 : 0), fan_rpm: state.fan_rpm, uptime_s: Math.max(0, Math.floor((env.now - state.booted_at) / 1000)), fw_major: 1, fw_minor: 2, fw_patch: 3 }));
      }
      case Opcode.GET_COUNTERS:
        return reply(0, new Uint8Array(8));
      case Opcode.SET_FAN:
        if (argument < 1000 || argument > 12000) return reply(2);
        state.fan_rpm = argument;
        return reply(0);
      case Opcode.POKE_REG:
        state.registers[String(argument & 0xffff)] = argument >>> 16;
        return reply(0);
      default:
        return reply(1);
    }
  },
  errorReply: () => reply(3),
});
`,
  'test/plugin.test.js': `// The plugin's own tests (node:test, no dependencies beyond accelctl).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Scope, isAccelError } from 'accelctl/sdk';
import plugin from '../index.js';
import sim from '../sim.js';
import { Opcode, encode } from '../protocol.js';

const env = { now: Date.now(), faults: [], chargeFlashWrite() {}, memory: { read() { throw new Error('none'); }, write() { throw new Error('none'); } } };

test('classifies every opcode at the scope the driver needs, and nothing else', () => {
  const expected = [[Opcode.GET_STATUS, 'inspect', Scope.CONFIGURATION], [Opcode.GET_COUNTERS, 'inspect', Scope.DEBUG_READ_ONLY], [Opcode.SET_FAN, 'configure', Scope.CONFIGURATION], [Opcode.POKE_REG, 'mutate-debug', Scope.DEBUG_WRITE]];
  for (const [opcode, rpcClass, scope] of expected) {
    const c = plugin.protocol.classify(encode(opcode));
    assert.equal(c.rpcClass, rpcClass);
    assert.equal(c.scope, scope);
    assert.equal(sim.driverCheck(scope, encode(opcode), 64, sim.create({})), undefined);
    if (scope > 0) assert.equal(sim.driverCheck(scope - 1, encode(opcode), 64, sim.create({})), 'EBADMSG');
  }
  assert.equal(plugin.protocol.classify(encode(0x7777)), undefined);
  assert.equal(plugin.protocol.classify(new Uint8Array(3)), undefined);
});

test('status decodes what the firmware model answers', async () => {
  const state = sim.create({ index: 0, serial: 'X' });
  const ctx = { rpc: async (request) => sim.firmware(state, request, 64, env) };
  const status = plugin.commands.find((c) => c.name === 'status');
  const result = await status.run(ctx, { args: [], options: {} });
  assert.equal(result.firmware, '1.2.3');
  assert.equal(result.fan_rpm, 4000);
});

test('set-fan changes the model', async () => {
  const state = sim.create({ index: 0, serial: 'X' });
  const ctx = { rpc: async (request) => sim.firmware(state, request, 64, env) };
  await plugin.commands.find((c) => c.name === 'set-fan').run(ctx, { args: [], options: { rpm: 7000 } });
  assert.equal(state.fan_rpm, 7000);
});

test('truncated replies give typed errors only', async () => {
  const status = plugin.commands.find((c) => c.name === 'status');
  for (let cut = 0; cut < 20; cut++) {
    const ctx = { rpc: async () => new Uint8Array(cut) };
    await assert.rejects(status.run(ctx, { args: [], options: {} }), (error) => isAccelError(error));
  }
});
`,
  'README.md': `# accelctl-plugin-${name}

An [accelctl](https://www.npmjs.com/package/accelctl) plugin for the ${title}, a made-up
accelerator used as the worked example of \`accelctl-plugins(7)\`.

- \`accelctl ${name} status DEV\` — GET_STATUS (inspect): temperature, fan, uptime, firmware.
- \`accelctl ${name} set-fan DEV --rpm N --yes\` — SET_FAN (configure).

| opcode | RPC | class | minimum scope |
|---|---|---|---|
| 0x01 | GET_STATUS | inspect | configuration |
| 0x02 | GET_COUNTERS | inspect | debug_read_only |
| 0x10 | SET_FAN | configure | configuration |
| 0x20 | POKE_REG | mutate-debug | debug_write |

Develop: \`npm test\`; check against accelctl's rules: \`accelctl plugin check .\`;
try it: \`ACCELCTL_PLUGIN_PATH=$PWD accelctl sim init /tmp/w --fleet ${name}=1\` then
\`ACCELCTL_PLUGIN_PATH=$PWD accelctl --sim-dir /tmp/w ${name} status fwctl0\`.
Install next to accelctl: \`npm install -g .\` (or publish it as accelctl-plugin-${name}).
`,
});

export function scaffoldPlugin(name: string, options: { dir?: string; deviceType?: number } = {}): { dir: string; files: string[] } {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new AccelError('ACCELCTL_E_USAGE', `plugin name '${name}' must be lower-case letters, digits and dashes, starting with a letter`);
  const deviceType = options.deviceType ?? 200;
  if (!Number.isInteger(deviceType) || deviceType < 5 || deviceType > 0xffff) {
    throw new AccelError('ACCELCTL_E_USAGE', `--device-type: expected 5..65535 (1-4 belong to kernel drivers), got ${deviceType}`);
  }
  const dir = resolve(options.dir ?? `accelctl-plugin-${name}`);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new AccelError('ACCELCTL_E_USAGE', `${dir} exists and is not empty`);
  const title = `${name[0]!.toUpperCase()}${name.slice(1)} Widget`;
  const written: string[] = [];
  for (const [file, text] of Object.entries(files(name, deviceType, title))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
    written.push(file);
  }
  // Link the accelctl that made it, so `npm test` works before anything is published.
  const root = accelctlRoot();
  if (root) {
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    symlinkSync(root, join(dir, 'node_modules', 'accelctl'), 'dir');
  }
  return { dir, files: written };
}

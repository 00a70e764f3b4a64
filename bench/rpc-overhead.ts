/**
 * rpc.overhead_us: what the umbrella costs per RPC — plugin encode, classify,
 * class/scope check, policy gate, timeout wrapper, reply status, decode — with
 * the transport taken away: a fake handle answers a canned QUERY_ADAPTER reply
 * (made once by the mlx5 firmware model) instantly.
 *
 * Bundled by bench/run.mjs with esbuild and run in a child: prints one JSON line.
 */
import { DevicePipeline, type PolicyOptions } from '../src/core/pipeline';
import type { DeviceEntry } from '../src/core/discovery';
import { Scope } from '../src/core/scope';
import type { FwctlHandle } from '../src/transport/types';
import mlx5 from '../plugins/mlx5/index';
import mlx5Sim from '../plugins/mlx5/sim';
import { encodeQueryAdapter } from '../plugins/mlx5/requests';
import { decodeAdapter } from '../plugins/mlx5/decode';
import { QUERY_ADAPTER_OUT_SIZE } from '../plugins/mlx5/prm';

const N = Number(process.argv[2] ?? 50_000);
const ROUNDS = Number(process.argv[3] ?? 5);

const state = mlx5Sim.create({ index: 0, serial: 'MLX5BENCH0001' });
const env = { now: Date.now(), faults: [], chargeFlashWrite: () => undefined, memory: { read: () => new Uint8Array(0), write: () => undefined } };
const canned = mlx5Sim.firmware(state, encodeQueryAdapter(), QUERY_ADAPTER_OUT_SIZE, env);
if (mlx5Sim.driverCheck(Scope.CONFIGURATION, encodeQueryAdapter(), QUERY_ADAPTER_OUT_SIZE, state)) throw new Error('driver refuses QUERY_ADAPTER');

let transportCalls = 0;
const handle: FwctlHandle = {
  info: async () => ({ deviceType: 1, deviceData: new Uint8Array(8) }),
  // The transport's job (struct encode, copy in/out) is not the umbrella's: hand back the canned reply.
  rpc: async (_scope, _input, outLen) => (transportCalls++, { out: canned.subarray(0, Math.min(outLen, canned.length)), outLen: canned.length, buffers: [] }),
  close: async () => undefined,
};
const entry: DeviceEntry = { name: 'fwctl0', path: '/dev/fwctl/fwctl0', sysfsPath: '', pci: '0000:17:00.0', memdev: undefined, vendorId: 0x15b3, deviceId: 0x1021, driver: 'mlx5_core', serial: 'MLX5BENCH0001', boardName: undefined };
// What a real invocation passes (runtime.ts): the default 10 s timeout, and an onRpc
// observer only with -v (BENCH_VERBOSE=1 measures that case).
const policy: PolicyOptions = {
  yes: false,
  allowMutate: false,
  dryRun: false,
  inspectOnly: false,
  timeoutMs: 10_000,
  ...(process.env.BENCH_VERBOSE ? { onRpc: () => undefined } : {}),
};
const pipeline = new DevicePipeline(entry, handle, mlx5, policy);
const ctx = pipeline.commandContext();

let sink = 0;
async function once(): Promise<void> {
  const reply = await ctx.rpc(encodeQueryAdapter(), { outLen: QUERY_ADAPTER_OUT_SIZE });
  sink += decodeAdapter(reply).psid.length;
}

async function main(): Promise<void> {
  for (let i = 0; i < 5_000; i++) await once(); // warm-up (JIT)
  // Wall time and this process's CPU time (user + system) per RPC: on a loaded
  // machine the CPU time is the steadier measure of what the umbrella costs.
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await once();
    wall.push(Number(process.hrtime.bigint() - t0) / 1000 / N);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / N);
  }
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  process.stdout.write(`${JSON.stringify({ us_per_rpc: mid(wall), cpu_us_per_rpc: mid(cpu), rounds_us: wall, rounds_cpu_us: cpu, rpcs: N * ROUNDS, transport_calls: transportCalls, sink })}\n`);
}
void main();

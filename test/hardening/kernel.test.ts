/**
 * The simulated kernel's input checks under random input: whatever struct bytes,
 * struct size, scope, lengths, user addresses and request bytes a caller hands
 * the ioctl, the only way out is success or an FwctlErrno — never another
 * exception, never a hang, never an allocation sized by an unchecked length.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimKernel } from '../../src/sim/kernel';
import { readDeviceState } from '../../src/sim/state-store';
import { UserMemory } from '../../src/sim/user-memory';
import { FwctlErrno } from '../../src/transport/types';
import { FWCTL_INFO, FWCTL_RPC, FwctlRpcStruct } from '../../src/transport/uapi';
import { demoSimulator, req } from '../fixtures/demo-plugin';
import { demoFleet } from '../fixtures/demo-fleet';
import { params } from './runs';

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof FwctlErrno) return error.errno;
    throw error; // anything else fails the property
  }
}

const u32 = fc.integer({ min: 0, max: 0xffffffff });
/** Lengths around the interesting edges: tiny, the 2 MiB limit, and absurd. */
const length = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.constantFrom(2 * 1024 * 1024, 2 * 1024 * 1024 + 1, 0x7fffffff, 0xffffffff), u32);

describe('simulated kernel: random ioctl input', () => {
  const { root, device } = demoFleet();
  const kernel = new SimKernel(root, async () => demoSimulator as never);

  it('a random FWCTL_RPC struct (size, scope, lengths, addresses) ends in success or an errno', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          structBytes: fc.oneof({ arbitrary: fc.constant(32), weight: 3 }, fc.integer({ min: 0, max: 48 })),
          size: fc.oneof({ arbitrary: fc.constant(32), weight: 3 }, fc.integer({ min: 0, max: 64 }), u32),
          scope: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 3 }), weight: 3 }, u32),
          inLen: fc.oneof({ arbitrary: fc.constant(-1), weight: 2 }, length),
          outLen: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 64 }), weight: 2 }, length),
          // Well-formed demo requests (opcodes 1..8) as well as random bytes.
          input: fc.oneof(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 4096 })).map(([op, a]) => req(op, a)), fc.uint8Array({ maxLength: 48 })),
          mapIn: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, fc.constant(false)),
          mapOut: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, fc.constant(false)),
          badAddress: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
          tail: fc.uint8Array({ maxLength: 16 }),
        }),
        async (c) => {
          const memory = new UserMemory();
          const out = new Uint8Array(Math.min(c.outLen, 256));
          const arg = new Uint8Array(Math.max(c.structBytes, 0));
          const full = new Uint8Array(Math.max(32, arg.length));
          FwctlRpcStruct.write(full, {
            size: c.size,
            scope: c.scope,
            in_len: c.inLen === -1 ? c.input.length : c.inLen,
            out_len: c.outLen,
            in: c.mapIn ? memory.map(c.input) : c.badAddress,
            out: c.mapOut ? memory.map(out) : c.badAddress,
          });
          arg.set(full.subarray(0, arg.length));
          if (arg.length > 32) arg.set(c.tail.subarray(0, arg.length - 32), 32);
          const file = kernel.open(device);
          const result = await outcome(file.ioctl(FWCTL_RPC, arg, memory));
          seen.add(result);
        },
      ),
      params(60),
    );
    // The generator reaches the firmware as well as the core's refusals.
    expect(seen.has('ok')).toBe(true);
    expect(seen.has('EINVAL')).toBe(true);
    // The device state is still whole after all of that.
    expect(readDeviceState(device).schema_version).toBe(1);
  });

  it('random ioctl numbers and FWCTL_INFO structs end in success or an errno', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(FWCTL_INFO, FWCTL_RPC), u32), fc.uint8Array({ maxLength: 40 }), async (request, arg) => {
        expect(typeof (await outcome(kernel.open(device).ioctl(request, arg, new UserMemory())))).toBe('string');
      }),
      params(60),
    );
  });
});

/**
 * Property tests: every decoder fed random bytes, truncated replies and random
 * requests throws only AccelError (never RangeError/TypeError) and never
 * allocates from a length field.
 */
import fc from 'fast-check';
import { isAccelError } from 'accelctl/sdk';
import { describe, expect, it } from 'vitest';
import { decodeAdapter, decodeDiagCounters, decodeDiagParams, decodeGeneralCaps, decodeOutHeader } from '../../../plugins/mlx5/decode';
import { classify, decodeInfo, decodeReply, defaultOutLen, replyStatus } from '../../../plugins/mlx5/protocol';
import { REGISTERS } from '../../../plugins/mlx5/registers';
import { encodeQueryAdapter, encodeQueryDiagCounters, encodeQueryDiagParams, encodeQueryHcaCap, encodeRegisterRead } from '../../../plugins/mlx5/requests';
import sim from '../../../plugins/mlx5/sim';
import { env } from './harness';

const params = { seed: 0x6d6c7835, numRuns: 300 };

/** Run `fn`; it may succeed or throw an AccelError, nothing else. */
function onlyAccelErrors(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (!isAccelError(e)) throw e;
    return true;
  }
}

const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });
const KNOWN_REQUESTS = [
  encodeQueryHcaCap(0, true),
  encodeQueryAdapter(),
  encodeQueryDiagParams(),
  encodeQueryDiagCounters(4, 0),
  encodeQueryDiagCounters(0xffff, 0),
  ...REGISTERS.map((r) => encodeRegisterRead(r.id, r.readData(1))),
];

describe('decoders throw only AccelError', () => {
  it('out header, status, info', () => {
    fc.assert(
      fc.property(bytes(64), (b) => onlyAccelErrors(() => decodeOutHeader(b)) && onlyAccelErrors(() => replyStatus(new Uint8Array(16), b)) && onlyAccelErrors(() => decodeInfo(b))),
      params,
    );
  });

  it('caps, adapter, diag params/counters on random and truncated replies', () => {
    fc.assert(
      fc.property(bytes(0x1100), fc.integer({ min: 0, max: 0xffff }), (b, n) =>
        [() => decodeGeneralCaps(b), () => decodeAdapter(b), () => decodeDiagParams(b), () => decodeDiagCounters(b, n)].every(onlyAccelErrors),
      ),
      params,
    );
  });

  it('a huge num_of_counters in a short reply is malformed, not an allocation', () => {
    const reply = new Uint8Array(40);
    reply[8] = 0xff;
    reply[9] = 0xff; // num_of_counters = 65535
    expect(() => decodeDiagParams(reply)).toThrowError(expect.objectContaining({ code: 'ACCELCTL_E_MALFORMED_REPLY' }));
  });

  it('register decoders', () => {
    fc.assert(fc.property(bytes(200), (b) => REGISTERS.every((r) => onlyAccelErrors(() => r.decode(b)))), params);
  });

  it('decodeReply with known requests and random/truncated replies', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KNOWN_REQUESTS), bytes(0x1100), (req, reply) => onlyAccelErrors(() => decodeReply(req, reply))),
      params,
    );
    // a real reply cut at every length: the decoders fail cleanly
    const state = sim.create({ index: 0, serial: 'x' });
    for (const req of KNOWN_REQUESTS) {
      const full = sim.firmware(state, req, 0x1010, env(5));
      for (let len = 0; len <= full.length; len += full.length > 256 ? 61 : 1) {
        expect(onlyAccelErrors(() => decodeReply(req, full.subarray(0, len)))).toBe(true);
      }
    }
  });

  it('classify, defaultOutLen and decodeReply on random requests', () => {
    fc.assert(
      fc.property(bytes(96), bytes(96), (req, reply) => {
        const c = classify(req);
        if (c !== undefined) expect(req.length).toBeGreaterThanOrEqual(16);
        const len = defaultOutLen(req);
        expect(Number.isInteger(len) && len >= 16 && len <= 2 * 1024 * 1024).toBe(true);
        return onlyAccelErrors(() => decodeReply(req, reply));
      }),
      params,
    );
  });

  it('the firmware model never throws on random mailboxes, and always answers a header', () => {
    fc.assert(
      fc.property(bytes(128), fc.constantFrom(0x100, 0x101, 0x805, 0x80d, 0x819, 0x820, 0x821, 0x10a), fc.integer({ min: 0, max: 3 }), (body, opcode, opMod) => {
        const req = new Uint8Array(Math.max(body.length, 2));
        req.set(body);
        req[0] = opcode >> 8;
        req[1] = opcode & 0xff;
        if (req.length >= 8) {
          req[6] = 0;
          req[7] = opMod;
        }
        const state = sim.create({ index: 0, serial: 'x' });
        const out = sim.firmware(state, req, 0x1010, env(1_000));
        expect(out.length).toBeGreaterThanOrEqual(16);
        expect(JSON.parse(JSON.stringify(state))).toEqual(state);
      }),
      params,
    );
  });
});

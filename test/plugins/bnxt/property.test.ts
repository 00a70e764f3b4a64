/** Decoders fed random bytes and truncated replies throw only AccelError. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAccelError } from 'accelctl/sdk';
import { decodeFactoryDefaults, decodeFuncQcaps, decodeHeader, decodeHealth, decodeTempMonitor, decodeVerGet } from '../../../plugins/bnxt/decode';
import { encodeFuncQcaps, encodeVerGet } from '../../../plugins/bnxt/encode';
import { classifyHwrm, decodeInfo, decodeReply, replyStatus } from '../../../plugins/bnxt/protocol';
import sim from '../../../plugins/bnxt/sim';
import { env, freshState } from './helpers';

const DECODERS: [string, (b: Uint8Array) => unknown][] = [
  ['header', decodeHeader],
  ['ver_get', decodeVerGet],
  ['func_qcaps', decodeFuncQcaps],
  ['temp', decodeTempMonitor],
  ['health', decodeHealth],
  ['factory', decodeFactoryDefaults],
  ['info', decodeInfo],
  ['replyStatus', (b) => replyStatus(encodeVerGet(), b)],
  ['decodeReply', (b) => decodeReply(encodeVerGet(), b)],
];

function onlyAccelErrors(fn: () => unknown): boolean {
  try {
    const out = fn();
    JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    return true;
  } catch (e) {
    return isAccelError(e);
  }
}

describe('decoders never throw anything but AccelError', () => {
  it.each(DECODERS)('%s on random bytes', (_name, decode) => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => onlyAccelErrors(() => decode(bytes))), { seed: 0xb17, numRuns: 300 });
  });

  it.each(DECODERS)('%s on every truncation of real replies', (_name, decode) => {
    const replies = [sim.firmware(freshState(), encodeVerGet(), 176, env()), sim.firmware(freshState(), encodeFuncQcaps(), 144, env())];
    for (const reply of replies) for (let n = 0; n <= reply.length; n++) expect(onlyAccelErrors(() => decode(reply.subarray(0, n)))).toBe(true);
  });

  it('classifier returns a value or undefined for any bytes, never throws', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const c = classifyHwrm(bytes);
      return c === undefined || typeof c.name === 'string';
    }), { seed: 0xb18, numRuns: 300 });
  });

  it('firmware model answers any request the driver lets through with a well-formed header', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 128 }), fc.integer({ min: 8, max: 1024 }), (bytes, outLen) => {
      if (sim.driverCheck(3, bytes, outLen, freshState()) !== undefined) return true;
      const reply = sim.firmware(freshState(), bytes, outLen, env());
      return reply.length === outLen && onlyAccelErrors(() => replyStatus(bytes, reply));
    }), { seed: 0xb19, numRuns: 300 });
  });
});

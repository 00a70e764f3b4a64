/**
 * Every decoder, fed random or truncated bytes, throws only AccelError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAccelError, Scope } from 'accelctl/sdk';
import plugin from '../../../plugins/cxl/index';
import { uuidToBytes } from '../../../plugins/cxl/features';
import { decodeFeatEntry, decodeOut, decodeSupportedFeatures, encodeGetFeature, encodeGetSupportedFeatures } from '../../../plugins/cxl/requests';
import { fakeDevice } from './fake-device';

const GSF = encodeGetSupportedFeatures(0, 8 * 48);
const GF = encodeGetFeature(uuidToBytes('5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f06'), 0, 384, 0);

const decoders: [string, (b: Uint8Array) => unknown][] = [
  ['decodeOut', decodeOut],
  ['decodeSupportedFeatures', decodeSupportedFeatures],
  ['decodeFeatEntry', (b) => decodeFeatEntry(b)],
  ['protocol.decodeReply(GSF)', (b) => plugin.protocol.decodeReply!(GSF, b)],
  ['protocol.decodeReply(GF)', (b) => plugin.protocol.decodeReply!(GF, b)],
  ['protocol.replyStatus', (b) => plugin.protocol.replyStatus(GSF, b)],
];

function onlyAccelErrors(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    return isAccelError(e);
  }
}

describe('decoders never throw anything but AccelError', () => {
  for (const [name, decode] of decoders) {
    it(`${name}: random bytes`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 600 }), (b) => onlyAccelErrors(() => decode(b))),
        { seed: 42, numRuns: 300 },
      );
    });
    it(`${name}: truncated real replies`, () => {
      const dev = fakeDevice();
      for (const reply of [dev.send(Scope.CONFIGURATION, GSF), dev.send(Scope.CONFIGURATION, GF)]) {
        for (let n = 0; n <= reply.length; n++) expect(onlyAccelErrors(() => decode(reply.subarray(0, n)))).toBe(true);
      }
    });
  }
  it('huge size / num_entries fields do not allocate', () => {
    const reply = new Uint8Array(16);
    reply.set([0xff, 0xff, 0xff, 0xff], 0);
    expect(onlyAccelErrors(() => decodeSupportedFeatures(reply))).toBe(true);
    reply.set([0x10, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 0);
    expect(() => decodeSupportedFeatures(reply)).toThrow(expect.objectContaining({ code: 'ACCELCTL_E_MALFORMED_REPLY' }));
  });
  it('the classifier never throws on random requests (no device knowledge needed to refuse)', async () => {
    const dev = fakeDevice();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 80 }), async (b) => {
        try {
          await plugin.protocol.classify(b, dev.classifyContext());
          return true;
        } catch (e) {
          return isAccelError(e);
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('replyStatus and decodeReply', () => {
  it('reports the mailbox return code by its spec name', () => {
    const reply = new Uint8Array(8);
    reply[4] = 0x1a;
    expect(plugin.protocol.replyStatus(GF, reply)).toMatchObject({ ok: false, status: 0x1a, message: 'Unsupported Feature Selection Value' });
    expect(plugin.protocol.replyStatus(GF, new Uint8Array(8))).toEqual({ ok: true });
  });
  it('decodes a features list for accelctl rpc', () => {
    const out = plugin.protocol.decodeReply!(GSF, fakeDevice().send(Scope.CONFIGURATION, GSF)) as { entries: { name: string | null }[]; supported_features: number };
    expect(out.supported_features).toBe(11);
    expect(out.entries.map((e) => e.name)).toEqual(['patrol-scrub', 'thermal-throttle', 'link-power', 'media-refresh', 'debug-trace', 'legacy-knob', 'event-filter', 'fuse-info']);
  });
});

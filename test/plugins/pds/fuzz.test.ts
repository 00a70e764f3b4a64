/** Decoders fed random and truncated bytes throw only AccelError. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAccelError } from 'accelctl/sdk';
import plugin from '../../../plugins/pds/index';
import { CATALOGUE } from '../../../plugins/pds/catalog';
import { classifyWith, decodeInfoPds, replyStatusPds, RpcPds } from '../../../plugins/pds/protocol';
import { operationTable } from '../../../plugins/pds/catalog';

function onlyAccelErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!isAccelError(error)) throw error;
    expect(error.code).toBe('ACCELCTL_E_MALFORMED_REPLY');
  }
}

const bytes = fc.uint8Array({ minLength: 0, maxLength: 200 });
const decoders = CATALOGUE.endpoints.flatMap((ep) => ep.operations.filter((op) => op.response).map((op) => ({ name: `${ep.name}.${op.name}`, op })));

describe('decoders on random bytes', () => {
  it('payload decoders of every operation, every version', () => {
    fc.assert(
      fc.property(bytes, fc.integer({ min: 0, max: 255 }), (b, version) => {
        for (const { op } of decoders) onlyAccelErrors(() => op.response!.decode(b, version));
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('reply status, decodeReply, decodeInfo and the classifier', () => {
    const table = operationTable();
    fc.assert(
      fc.property(bytes, bytes, (request, reply) => {
        onlyAccelErrors(() => replyStatusPds(request, reply));
        onlyAccelErrors(() => plugin.protocol.decodeReply!(request, reply));
        onlyAccelErrors(() => decodeInfoPds(reply));
        onlyAccelErrors(() => classifyWith(table, request));
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('truncations of a valid reply', () => {
    const reply = RpcPds.encode({ inOp: 1, inEp: 1, outRetval: 14, outLen: 64 });
    for (let n = 0; n <= reply.length; n++) {
      onlyAccelErrors(() => replyStatusPds(reply, reply.subarray(0, n)));
      onlyAccelErrors(() => plugin.protocol.decodeReply!(reply, reply.subarray(0, n)));
    }
    expect(replyStatusPds(reply, reply)).toEqual({ ok: false, status: 14, message: 'PDS_RC_EINVAL: Invalid argument', detail: { retval: 14, status_name: 'PDS_RC_EINVAL' } });
    expect(() => replyStatusPds(reply, reply.subarray(0, 47))).toThrow(/fwctl_rpc_pds/);
  });

  it('names unknown status values without failing', () => {
    const reply = RpcPds.encode({ outRetval: 200 });
    expect(replyStatusPds(reply, reply)).toMatchObject({ ok: false, status: 200, message: 'PDS_RC_200: unknown status' });
    const okReply = RpcPds.encode({ outRetval: 0 });
    expect(replyStatusPds(okReply, okReply)).toEqual({ ok: true });
  });
});

/**
 * Golden bytes: struct sizes and offsets against include/uapi/fwctl/cxl.h and
 * include/uapi/cxl/features.h (packed structs, little-endian), requests encoded
 * to hand-derived bytes, round trips.
 */
import { describe, expect, it } from 'vitest';
import { isAccelError } from 'accelctl/sdk';
import { uuidToBytes, uuidToText } from '../../../plugins/cxl/features';
import {
  decodeFeatEntry,
  decodeOut,
  decodeSupportedFeatures,
  encodeFeatEntry,
  encodeGetFeature,
  encodeGetSupportedFeatures,
  encodeSetFeature,
  parseRequest,
  replyLength,
} from '../../../plugins/cxl/requests';
import { FeatEntry, GetFeatIn, GetSupFeatsIn, GetSupFeatsOutHeader, RpcHeader, RpcOutHeader, SetFeatInHeader } from '../../../plugins/cxl/uapi';
import { bytes, hex } from './fake-device';

const PATROL = '96dad7d6-fde8-482b-a733-75774e06db8a';
const THERMAL = '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f01';

describe('struct layouts (uAPI headers)', () => {
  it('fwctl_rpc_cxl header is opcode@0 flags@4 op_size@8 reserved1@12 (16 B)', () => {
    expect(RpcHeader.size).toBe(16);
    expect([RpcHeader.fields.opcode.at, RpcHeader.fields.flags.at, RpcHeader.fields.op_size.at, RpcHeader.fields.reserved1.at]).toEqual([0, 4, 8, 12]);
  });
  it('fwctl_rpc_cxl_out header is size@0 retval@4 (8 B)', () => {
    expect(RpcOutHeader.size).toBe(8);
    expect([RpcOutHeader.fields.size.at, RpcOutHeader.fields.retval.at]).toEqual([0, 4]);
  });
  it('cxl_mbox_get_sup_feats_in is count@0 start_idx@4 (8 B); out header num_entries@0 supported_feats@2 (8 B)', () => {
    expect(GetSupFeatsIn.size).toBe(8);
    expect([GetSupFeatsIn.fields.count.at, GetSupFeatsIn.fields.start_idx.at]).toEqual([0, 4]);
    expect(GetSupFeatsOutHeader.size).toBe(8);
    expect([GetSupFeatsOutHeader.fields.num_entries.at, GetSupFeatsOutHeader.fields.supported_feats.at]).toEqual([0, 2]);
  });
  it('cxl_feat_entry is 48 B with uuid@0 id@16 get@18 set@20 flags@22 versions@26/27 effects@28', () => {
    const f = FeatEntry.fields;
    expect(FeatEntry.size).toBe(48);
    expect([f.uuid.at, f.id.at, f.get_feat_size.at, f.set_feat_size.at, f.flags.at, f.get_feat_ver.at, f.set_feat_ver.at, f.effects.at]).toEqual([0, 16, 18, 20, 22, 26, 27, 28]);
  });
  it('cxl_mbox_get_feat_in is 21 B packed: uuid@0 offset@16 count@18 selection@20', () => {
    const f = GetFeatIn.fields;
    expect(GetFeatIn.size).toBe(21);
    expect([f.uuid.at, f.offset.at, f.count.at, f.selection.at]).toEqual([0, 16, 18, 20]);
  });
  it('cxl_mbox_set_feat_in header is 32 B: uuid@0 flags@16 offset@20 version@22 rsvd[9]', () => {
    const f = SetFeatInHeader.fields;
    expect(SetFeatInHeader.size).toBe(32);
    expect([f.uuid.at, f.flags.at, f.offset.at, f.version.at]).toEqual([0, 16, 20, 22]);
  });
});

describe('UUIDs', () => {
  it('uuid_t is stored in text order (UUID_INIT(0x96dad7d6, 0xfde8, 0x482b, 0xa7, 0x33, ...))', () => {
    expect(hex(uuidToBytes(PATROL))).toBe('96dad7d6fde8482ba73375774e06db8a');
    expect(uuidToText(bytes('96dad7d6fde8482ba73375774e06db8a'))).toBe(PATROL);
  });
  it('rejects text that is not a UUID', () => {
    expect(() => uuidToBytes('patrol')).toThrowError(/not a UUID/);
  });
});

describe('requests (hand-derived bytes)', () => {
  it('Get Supported Features, start 2, count 0x180', () => {
    // opcode 0x0500, flags 0, op_size 8, reserved | count 0x180, start_idx 2, reserved[2]
    expect(hex(encodeGetSupportedFeatures(2, 0x180))).toBe('00050000' + '00000000' + '08000000' + '00000000' + '80010000' + '0200' + '0000');
  });
  it('Get Feature patrol scrub, offset 4, count 2, saved selection', () => {
    // opcode 0x0501, op_size 21 | uuid, offset 4, count 2, selection 2
    expect(hex(encodeGetFeature(uuidToBytes(PATROL), 4, 2, 2))).toBe('01050000' + '00000000' + '15000000' + '00000000' + '96dad7d6fde8482ba73375774e06db8a' + '0400' + '0200' + '02');
  });
  it('Set Feature, saved-across-reset full transfer, offset 1, version 1, one data byte', () => {
    // opcode 0x0502, op_size 33 | uuid, flags 0x8, offset 1, version 1, rsvd[9], feat_data
    expect(hex(encodeSetFeature(uuidToBytes(THERMAL), 0x8, 1, 1, bytes('5a')))).toBe(
      '02050000' + '00000000' + '21000000' + '00000000' + '5f3c9a106b2e4d8a9c412e7b0d5a8f01' + '08000000' + '0100' + '01' + '00'.repeat(9) + '5a',
    );
  });
  it('parseRequest truncates the opcode to u16 as the driver does', () => {
    const req = encodeGetSupportedFeatures(0, 48);
    req[2] = 1; // opcode 0x00010500
    expect(parseRequest(req)).toMatchObject({ opcode: 0x0500, rawOpcode: 0x10500, opSize: 8 });
    expect(parseRequest(new Uint8Array(15))).toBeUndefined();
  });
});

const ENTRY_HEX =
  '5f3c9a106b2e4d8a9c412e7b0d5a8f01' + // uuid
  '0100' + // id 1
  '0400' + // get_feat_size 4
  '0400' + // set_feat_size 4
  '79000000' + // flags: changeable, cold-reset persistence, fw-persist, default, saved
  '01' + '01' + // versions
  '0802' + // effects: policy change immediate | effects valid
  '00'.repeat(18);

describe('replies', () => {
  it('decodes a cxl_feat_entry', () => {
    expect(decodeFeatEntry(bytes(ENTRY_HEX))).toEqual({ uuid: THERMAL, id: 1, get_feat_size: 4, set_feat_size: 4, flags: 0x79, get_feat_ver: 1, set_feat_ver: 1, effects: 0x208 });
  });
  it('entry round trip', () => {
    const e = decodeFeatEntry(bytes(ENTRY_HEX));
    expect(hex(encodeFeatEntry(e, uuidToBytes(e.uuid)))).toBe(ENTRY_HEX);
  });
  it('decodes a Get Supported Features reply with the driver’s 8 trailing bytes', () => {
    // out: size 0x38 (8 + 48), retval 0 | num_entries 1, supported 9, rsvd | entry | 8 zero bytes
    const reply = bytes('38000000' + '00000000' + '0100' + '0900' + '00000000' + ENTRY_HEX + '00'.repeat(8));
    expect(reply.length).toBe(24 + 48);
    const list = decodeSupportedFeatures(reply);
    expect(list.supported).toBe(9);
    expect(list.entries.map((e) => e.uuid)).toEqual([THERMAL]);
  });
  it('refuses a reply whose num_entries exceeds its size', () => {
    const reply = bytes('38000000' + '00000000' + '0200' + '0900' + '00000000' + ENTRY_HEX);
    expect(() => decodeSupportedFeatures(reply)).toThrow(expect.objectContaining({ code: 'ACCELCTL_E_MALFORMED_REPLY' }));
  });
  it('refuses an out header whose size runs past the reply', () => {
    try {
      decodeOut(bytes('10000000' + '00000000' + '0102'));
      expect.unreachable();
    } catch (e) {
      expect(isAccelError(e)).toBe(true);
    }
  });
  it('reply lengths: GSF 24 + 48n (sizeof out struct + struct_size), Get Feature 8 + count, Set Feature 8', () => {
    expect(replyLength(encodeGetSupportedFeatures(0, 8 + 3 * 48))).toBe(24 + 3 * 48);
    expect(replyLength(encodeGetFeature(uuidToBytes(PATROL), 0, 4, 0))).toBe(12);
    expect(replyLength(encodeSetFeature(uuidToBytes(THERMAL), 0, 0, 1, bytes('00')))).toBe(8);
  });
});

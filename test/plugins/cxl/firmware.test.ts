/**
 * The firmware model and the driver model in front of it: real payloads,
 * paging, selections, transfers, return codes.
 */
import { describe, expect, it } from 'vitest';
import { Scope } from 'accelctl/sdk';
import { uuidToBytes } from '../../../plugins/cxl/features';
import { decodeOut, decodeSupportedFeatures, encodeGetFeature, encodeGetSupportedFeatures, encodeSetFeature } from '../../../plugins/cxl/requests';
import { MboxRc } from '../../../plugins/cxl/retcodes';
import sim from '../../../plugins/cxl/sim';
import { mailbox } from '../../../plugins/cxl/sim-device';
import { probe } from '../../../plugins/cxl/sim-driver';
import { GetSupFeatsIn, SetFeatInHeader, Transfer } from '../../../plugins/cxl/uapi';
import { bytes, fakeDevice, hex } from './fake-device';

const PATROL = '96dad7d6-fde8-482b-a733-75774e06db8a';
const THERMAL = '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f01';
const LINK = '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f02';
const FILTER = '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f06';
const FUSE = '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f07';

const FULL = Scope.DEBUG_WRITE_FULL;

describe('simulator identity', () => {
  it('is a cxl_pci memory device under a memdev, with no FWCTL_INFO data', () => {
    expect(sim.pci).toMatchObject({ classCode: 0x050210, driver: 'cxl_pci', vendor: 0x8086, device: 0x0d93 });
    expect(sim.topology).toBe('cxl-memdev');
    expect(sim.info(sim.create({ index: 0, serial: 'x' })).length).toBe(0);
  });
  it('state is plain JSON', () => {
    const state = sim.create({ index: 3, serial: 'x' });
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});

describe('Get Supported Features', () => {
  it('pages by start index and count; reply is 24 + 48n bytes with size 8 + 48n', () => {
    const dev = fakeDevice();
    const first = dev.send(Scope.CONFIGURATION, encodeGetSupportedFeatures(0, 3 * 48));
    expect(first.length).toBe(24 + 3 * 48);
    expect(decodeOut(first).size).toBe(8 + 3 * 48);
    const a = decodeSupportedFeatures(first);
    expect(a.supported).toBe(11);
    expect(a.entries.map((e) => e.id)).toEqual([0, 1, 2]);
    const b = decodeSupportedFeatures(dev.send(Scope.CONFIGURATION, encodeGetSupportedFeatures(6, 10 * 48)));
    expect(b.entries.map((e) => e.uuid)).toEqual(['5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f06', FUSE, '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f08', '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f09', '5f3c9a10-6b2e-4d8a-9c41-2e7b0d5a8f0a']);
  });
  it('count below one entry returns only the total', () => {
    const list = decodeSupportedFeatures(fakeDevice().send(Scope.CONFIGURATION, encodeGetSupportedFeatures(0, 8)));
    expect(list).toMatchObject({ supported: 11, entries: [] });
  });
  it('masks kernel-exclusive features: set size 0, not changeable', () => {
    const [patrol] = decodeSupportedFeatures(fakeDevice().send(Scope.CONFIGURATION, encodeGetSupportedFeatures(0, 48))).entries;
    expect(patrol).toMatchObject({ uuid: PATROL, set_feat_size: 0, get_feat_size: 4 });
    expect(patrol!.flags & 1).toBe(0);
    expect(patrol!.flags & 0x60).toBe(0x60);
  });
  it('the device itself reports patrol scrub changeable; the driver probe pages through the 256-byte mailbox', () => {
    const state = sim.create({ index: 0, serial: 'x' });
    const cache = probe(state);
    expect(cache.length).toBe(11);
    expect(cache[0]!.flags & 1).toBe(1);
    // (256 - 8) / 48 = 5 entries per mailbox page
    const input = GetSupFeatsIn.encode({ count: 256, start_idx: 0 });
    expect(mailbox(state, 0x0500, input, 256).out.length).toBe(8 + 5 * 48);
    expect(mailbox(state, 0x0500, GetSupFeatsIn.encode({ count: 256, start_idx: 12 }), 256).rc).toBe(MboxRc.INPUT);
  });
});

function getFeature(dev: ReturnType<typeof fakeDevice>, uuid: string, selection: number, offset: number, count: number) {
  return decodeOut(dev.send(Scope.CONFIGURATION, encodeGetFeature(uuidToBytes(uuid), offset, count, selection)));
}

describe('Get Feature', () => {
  it('reads the current, default and saved values', () => {
    const dev = fakeDevice();
    const cur = getFeature(dev, THERMAL, 0, 0, 4);
    expect({ size: cur.size, retval: cur.retval, data: hex(cur.payload) }).toEqual({ size: 4, retval: 0, data: '015f0500' });
    expect(hex(getFeature(dev, THERMAL, 1, 0, 4).payload)).toBe('015f0500');
    expect(hex(getFeature(dev, THERMAL, 2, 1, 2).payload)).toBe('5f05');
  });
  it('reads patrol scrub (kernel-owned features are readable)', () => {
    expect(hex(getFeature(fakeDevice(), PATROL, 0, 0, 4).payload)).toBe('010c0101');
  });
  it('reads a 384-byte feature through the 256-byte mailbox in two commands', () => {
    const out = getFeature(fakeDevice(), FILTER, 0, 0, 384);
    expect(out.size).toBe(384);
    expect(hex(out.payload.subarray(0, 8))).toBe('1f00000007000000');
  });
  it('real return codes: unsupported selection, unknown feature, offset past the end', () => {
    const dev = fakeDevice();
    expect(getFeature(dev, LINK, 1, 0, 4)).toMatchObject({ size: 0, retval: MboxRc.FEATURESELVALUE });
    expect(getFeature(dev, '00000000-1111-2222-3333-444444444444', 0, 0, 4)).toMatchObject({ size: 0, retval: MboxRc.UNSUPPORTED });
    expect(getFeature(dev, THERMAL, 0, 4, 1)).toMatchObject({ size: 0, retval: MboxRc.INPUT });
    expect(getFeature(dev, THERMAL, 3, 0, 4)).toMatchObject({ size: 0, retval: MboxRc.INPUT });
  });
  it('asking for more bytes than the feature has returns nothing with retval SUCCESS (cxl_get_feature min_out)', () => {
    expect(getFeature(fakeDevice(), THERMAL, 0, 0, 8)).toMatchObject({ size: 0, retval: 0 });
  });
});

function setFeature(dev: ReturnType<typeof fakeDevice>, uuid: string, data: string, opts: { flags?: number; offset?: number; version?: number; scope?: Scope } = {}) {
  const req = encodeSetFeature(uuidToBytes(uuid), opts.flags ?? 0, opts.offset ?? 0, opts.version ?? 1, bytes(data));
  return decodeOut(dev.send(opts.scope ?? FULL, req));
}

describe('Set Feature', () => {
  it('changes the current value and (the kernel always sets saved-across-reset) the saved value', () => {
    const dev = fakeDevice();
    expect(setFeature(dev, THERMAL, '015a0300')).toMatchObject({ size: 0, retval: 0 });
    expect(hex(getFeature(dev, THERMAL, 0, 0, 4).payload)).toBe('015a0300');
    expect(hex(getFeature(dev, THERMAL, 2, 0, 4).payload)).toBe('015a0300');
    expect(hex(getFeature(dev, THERMAL, 1, 0, 4).payload)).toBe('015f0500');
  });
  it('writes at an offset', () => {
    const dev = fakeDevice();
    setFeature(dev, LINK, '01', { offset: 1, scope: Scope.DEBUG_WRITE });
    // link-power applies at reset: the saved (next-boot) value changes, the current one waits.
    expect(hex(getFeature(dev, LINK, 2, 0, 4).payload)).toBe('03012000');
    expect(hex(getFeature(dev, LINK, 0, 0, 4).payload)).toBe('03022000');
  });
  it('a 384-byte write goes as Initiate + Finish through the 256-byte mailbox', () => {
    const dev = fakeDevice();
    const data = 'ab'.repeat(384);
    expect(setFeature(dev, FILTER, data, { version: 2 })).toMatchObject({ retval: 0 });
    expect(hex(getFeature(dev, FILTER, 0, 0, 384).payload)).toBe(data);
    expect(dev.state.transfer).toBeNull();
  });
  it('real return codes: wrong version, values out of range, too long', () => {
    const dev = fakeDevice();
    expect(setFeature(dev, THERMAL, '015a0300', { version: 2 }).retval).toBe(MboxRc.FEATUREVERSION);
    expect(setFeature(dev, THERMAL, '01200300').retval).toBe(MboxRc.INPUT);
    expect(setFeature(dev, THERMAL, '015a0300', { offset: 2 }).retval).toBe(MboxRc.INPUT);
    expect(hex(getFeature(dev, THERMAL, 0, 0, 4).payload)).toBe('015f0500');
  });
  it('the device enforces transfer order (mailbox level)', () => {
    const state = sim.create({ index: 0, serial: 'x' });
    const pi = (action: number, offset: number, data: string) =>
      new Uint8Array([...SetFeatInHeader.encode({ uuid: uuidToBytes(FILTER), flags: action, offset, version: 2 }), ...bytes(data)]);
    expect(mailbox(state, 0x0502, pi(Transfer.CONTINUE, 0, '00'), 0).rc).toBe(MboxRc.FEATURETRANSFEROOO);
    expect(mailbox(state, 0x0502, pi(Transfer.INITIATE, 0, '0102'), 0).rc).toBe(MboxRc.SUCCESS);
    expect(mailbox(state, 0x0502, pi(Transfer.INITIATE, 0, '0102'), 0).rc).toBe(MboxRc.FEATURETRANSFERIP);
    expect(mailbox(state, 0x0502, pi(Transfer.CONTINUE, 5, '03'), 0).rc).toBe(MboxRc.FEATURETRANSFEROOO);
    expect(mailbox(state, 0x0502, pi(Transfer.FINISH, 2, '03'), 0).rc).toBe(MboxRc.SUCCESS);
    expect(state.features[6]!.current.slice(0, 6)).toBe('010203');
    expect(mailbox(state, 0x0502, pi(Transfer.INITIATE, 0, '09'), 0).rc).toBe(MboxRc.SUCCESS);
    expect(mailbox(state, 0x0502, pi(Transfer.ABORT, 0, ''), 0).rc).toBe(MboxRc.SUCCESS);
    expect(state.transfer).toBeNull();
    expect(state.features[6]!.current.slice(0, 6)).toBe('010203');
  });
  it('without saved-across-reset the device keeps the saved value (mailbox level)', () => {
    const state = sim.create({ index: 0, serial: 'x' });
    const pi = new Uint8Array([...SetFeatInHeader.encode({ uuid: uuidToBytes(THERMAL), flags: Transfer.FULL, version: 1 }), ...bytes('01550500')]);
    expect(mailbox(state, 0x0502, pi, 0).rc).toBe(0);
    expect(state.features[1]).toMatchObject({ current: '01550500', saved: '015f0500' });
  });
  it('the device refuses changing a read-only feature and patrol scrub writes map onto its readable layout', () => {
    const state = sim.create({ index: 0, serial: 'x' });
    const fuse = new Uint8Array([...SetFeatInHeader.encode({ uuid: uuidToBytes(FUSE), version: 0 }), 0]);
    expect(mailbox(state, 0x0502, fuse, 0).rc).toBe(MboxRc.UNSUPPORTED);
    const ps = new Uint8Array([...SetFeatInHeader.encode({ uuid: uuidToBytes(PATROL), flags: 8, version: 1 }), 24, 0]);
    expect(mailbox(state, 0x0502, ps, 0).rc).toBe(0);
    expect(state.features[0]).toMatchObject({ current: '01180100', saved: '01180100' });
  });
});

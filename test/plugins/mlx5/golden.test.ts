/**
 * Golden bytes: mailbox layouts against the kernel's PRM structs. Every
 * expected buffer is written by hand from the bit offsets quoted in the
 * comment (mlx5_ifc.h `u8 field[width]` runs, MSB-first in big-endian dwords).
 */
import { describe, expect, it } from 'vitest';
import { encodePaosWrite } from '../../../plugins/mlx5/commands/port-state';
import { decodeAdapter, decodeDiagCounters, decodeDiagParams, decodeGeneralCaps, decodeOutHeader } from '../../../plugins/mlx5/decode';
import { classify, decodeInfo, replyStatus } from '../../../plugins/mlx5/protocol';
import {
  CmdHcaCap,
  DiagParamsContext,
  FwctlInfoMlx5,
  MboxIn,
  MboxOut,
  McamReg,
  MgirReg,
  PaosReg,
  PtysReg,
  QUERY_ADAPTER_OUT_SIZE,
  QUERY_HCA_CAP_OUT_SIZE,
  QueryAdapterParamBlock,
} from '../../../plugins/mlx5/prm';
import { registerByName } from '../../../plugins/mlx5/registers';
import {
  encodeNop,
  encodeQueryAdapter,
  encodeQueryDiagCounters,
  encodeQueryDiagParams,
  encodeQueryHcaCap,
  encodeRegisterRead,
  encodeSetDiagParams,
  hcaCapOpMod,
} from '../../../plugins/mlx5/requests';
import { hex, toHexStr } from './harness';

describe('struct sizes (MLX5_ST_SZ_BYTES)', () => {
  it('match the kernel layouts', () => {
    expect(MboxIn.size).toBe(16); // mbox_in_hdr: 0x80 bits
    expect(MboxOut.size).toBe(16); // mbox_out_hdr: 0x80 bits
    expect(CmdHcaCap.size).toBe(256); // cmd_hca_cap: 0x800 bits
    expect(QUERY_HCA_CAP_OUT_SIZE).toBe(0x1010); // 0x80 header + hca_cap_union 0x8000 bits
    expect(QueryAdapterParamBlock.size).toBe(256); // query_adapter_param_block: 0x800 bits
    expect(QUERY_ADAPTER_OUT_SIZE).toBe(0x110);
    expect(PaosReg.size).toBe(16); // paos_reg: 0x80 bits
    expect(PtysReg.size).toBe(64); // ptys_reg: 0x200 bits
    expect(McamReg.size).toBe(72); // mcam_reg: 0x240 bits
    expect(MgirReg.size).toBe(160); // mstflint reg_access_hca_mgir: 160 bytes
    expect(DiagParamsContext.size).toBe(24); // diagnostic_params_context fixed part: 0xc0 bits
    expect(FwctlInfoMlx5.size).toBe(8); // struct fwctl_info_mlx5 { __u32 uid; __u32 uctx_caps; }
  });
});

describe('mailbox headers', () => {
  it('mbox_in_hdr: opcode[0x10]@0x0, uid[0x10]@0x10, op_mod[0x10]@0x30', () => {
    const bytes = MboxIn.encode({ opcode: 0x0805, uid: 0x1234, op_mod: 0x0001 });
    expect(toHexStr(bytes)).toBe('08051234000000010000000000000000');
  });

  it('mbox_out_hdr: status[0x8]@0x0, syndrome[0x20]@0x20', () => {
    const out = hex('03000000 deadbeef 00000000 00000000');
    expect(MboxOut.decode(out)).toEqual({ status: 3, syndrome: 0xdeadbeef });
    expect(decodeOutHeader(out)).toEqual({ status: 3, status_name: 'BAD_PARAM', syndrome: 0xdeadbeef });
  });

  it('replyStatus names MLX5_CMD_STAT_* and carries the syndrome', () => {
    const req = encodeNop();
    expect(replyStatus(req, hex('00000000 00000000 00000000 00000000'))).toEqual({ ok: true });
    expect(replyStatus(req, hex('02000000 0a0b0c0d 00000000 00000000'))).toEqual({ ok: false, status: 2, message: 'BAD_OP', detail: { syndrome: 0x0a0b0c0d } });
    expect(replyStatus(req, hex('09000000 00000001 00000000 00000000'))).toMatchObject({ message: 'BAD_RES_STATE' });
    expect(replyStatus(req, hex('50000000 00000001 00000000 00000000'))).toMatchObject({ message: 'BAD_INP_LEN' });
    expect(replyStatus(req, hex('ee000000 00000001 00000000 00000000'))).toMatchObject({ status: 0xee, message: 'STATUS_0xee' });
  });

  it('a reply shorter than the out header is malformed', () => {
    expect(() => replyStatus(encodeNop(), new Uint8Array(15))).toThrowError(expect.objectContaining({ code: 'ACCELCTL_E_MALFORMED_REPLY' }));
  });
});

describe('QUERY_HCA_CAP (0x100)', () => {
  it('op_mod = (cap type << 1) | current', () => {
    expect(hcaCapOpMod(0, true)).toBe(1);
    expect(hcaCapOpMod(0, false)).toBe(0);
    expect(hcaCapOpMod(0xd, true)).toBe(0x1b);
    // query_hca_cap_in: opcode 0x0100, op_mod 0x0001 (general, current)
    expect(toHexStr(encodeQueryHcaCap(0, true))).toBe('01000000000000010000000000000000');
    expect(toHexStr(encodeQueryHcaCap(0, false))).toBe('01000000000000000000000000000000');
  });

  it('decodes cmd_hca_cap fields at their kernel bit offsets', () => {
    const reply = new Uint8Array(QUERY_HCA_CAP_OUT_SIZE);
    const cap = reply.subarray(16);
    cap[6] = 0x00; cap[7] = 0x05; // vhca_id[0x10] @ bit 0x30 → bytes 6..7
    cap[19] = 0x12; // log_max_qp[0x5] @ bit 0x9b (155) → low 5 bits of byte 19 = 18
    cap[27] = 0x18; // log_max_cq[0x5] @ bit 0xdb (219) → low 5 bits of byte 27 = 24
    cap[29] = 0x18; // log_max_mkey[0x6] @ bit 0xea (234): byte 29 bits 2..7 (MSB-first) → 0x18 = 24
    cap[31] = 0x08; // log_max_eq[0x4] @ bit 0xfc (252) → low nibble of byte 31
    cap[54] = 0x01; // port_type[0x2] @ bit 0x1b6 (438) → low 2 bits of byte 54 = ETH
    cap[55] = 0x02; // num_ports[0x8] @ bit 0x1b8 (440) → byte 55
    cap[56] = 0x1e; // log_max_msg[0x5] @ bit 0x1c3 (451) → low 5 bits of byte 56 = 30
    cap[57] = 0x08; // max_tc[0x4] @ bit 0x1cc (460) → low nibble of byte 57
    cap[127] = 0x0a; // log_max_current_uc_list[0x5] @ bit 0x3fb (1019) → low 5 bits of byte 127
    cap[212] = 0x00; cap[213] = 0x00; cap[214] = 0x00; cap[215] = 0x04; // uctx_cap[0x20] @ bit 0x6a0 → bytes 212..215
    const d = decodeGeneralCaps(reply);
    expect(d).toMatchObject({
      vhca_id: 5,
      log_max_qp: 18,
      log_max_cq: 24,
      log_max_mkey: 24,
      log_max_eq: 8,
      port_type: 1,
      port_type_name: 'ethernet',
      num_ports: 2,
      log_max_msg: 30,
      max_tc: 8,
      log_max_current_uc_list: 10,
      uctx_cap: 4,
      uctx_cap_names: ['TOOLS_RESOURCES'],
    });
    expect(d.log_max_srq).toBe(0);
  });
});

describe('QUERY_ADAPTER (0x101)', () => {
  it('encodes the bare header', () => {
    expect(toHexStr(encodeQueryAdapter())).toBe('01010000000000000000000000000000');
  });

  it('decodes query_adapter_param_block', () => {
    const reply = new Uint8Array(QUERY_ADAPTER_OUT_SIZE);
    // ieee_vendor_id[0x18] @ block bit 0xc8 → block bytes 25..27 → out bytes 41..43
    reply.set([0x00, 0x02, 0xc9], 16 + 25);
    // vsd_vendor_id[0x10] @ block bit 0xf0 → block bytes 30..31 → out 46..47
    reply.set([0x15, 0xb3], 16 + 30);
    // vsd[208][0x8] @ block bit 0x100 → block byte 32
    reply.set(Buffer.from('hello vsd'), 16 + 32);
    // vsd_contd_psid[16][0x8] @ block bit 0x780 → block byte 240
    reply.set(Buffer.from('MT_0000000834'), 16 + 240);
    expect(decodeAdapter(reply)).toEqual({ ieee_vendor_id: '0x0002c9', vsd_vendor_id: '0x15b3', vsd: 'hello vsd', psid: 'MT_0000000834' });
  });
});

describe('ACCESS_REG (0x805)', () => {
  it('PTYS read: access_register_in (register_id[0x10] @ 0x50) + ptys_reg with local_port @ 0x8, proto_mask @ 0x1d', () => {
    const ptys = registerByName('PTYS');
    expect(ptys?.id).toBe(0x5004);
    const req = encodeRegisterRead(0x5004, ptys!.readData(1));
    expect(req.length).toBe(16 + 64);
    // header: opcode 0805, op_mod 0001 (read), register_id 5004, argument 0
    expect(toHexStr(req.subarray(0, 16))).toBe('08050000000000010000500400000000');
    // ptys dword0: local_port = 1 (byte 1), proto_mask = MLX5_PTYS_EN (4) in the low 3 bits of byte 3
    expect(toHexStr(req.subarray(16, 20))).toBe('00010004');
    expect(req.subarray(20).every((b) => b === 0)).toBe(true);
  });

  it('PAOS write (port down): local_port @ 0x8, admin_status[0x4] @ 0x14, ase @ 0x20; op_mod 0', () => {
    const req = encodePaosWrite(1, 'down');
    expect(toHexStr(req)).toBe(
      '08050000000000000000500600000000' + // opcode 0805, op_mod 0 (write), register_id 5006
        '00010200' + // local_port 1, admin_status 2 (down)
        '80000000' + // ase = 1
        '0000000000000000',
    );
    expect(classify(req)).toEqual({ rpcClass: 'configure', scope: 0, name: 'ACCESS_REG_WRITE' });
  });

  it('decodes PTYS and PAOS replies', () => {
    const ptysData = new Uint8Array(64);
    ptysData.set([0x00, 0x01, 0x00, 0x04], 0); // local_port 1, proto_mask EN
    ptysData.set([0x00, 0x00, 0x3f, 0xf2], 8); // ext_eth_proto_capability @ 0x40 (byte 8)
    ptysData.set([0x00, 0x00, 0x20, 0x00], 32); // ext_eth_proto_oper @ 0x100 (byte 32): bit 13
    ptysData[47] = 0x07; // connector_type[0x4] @ 0x17c → low nibble of byte 47
    const ptys = registerByName('PTYS')!.decode(ptysData);
    expect(ptys.ext_eth_proto_oper_modes).toEqual(['200GAUI_2_200GBASE_CR2_KR2']);
    expect(ptys.oper_speed_mbps).toBe(200000);
    expect(ptys.connector_type).toBe('da');
    expect(ptys.ext_eth_proto_capability).toBe('0x00003ff2');

    const paos = registerByName('PAOS')!.decode(hex('00010201 00000000 00000000 00000000'));
    expect(paos).toMatchObject({ local_port: 1, admin_status: 'down', oper_status: 'up' });
  });

  it('decodes MGIR (mstflint layout): device id, fw version, psid', () => {
    const data = new Uint8Array(160);
    data.set([0x00, 0xa0, 0x10, 0x21], 0); // hw_info dword0: device_hw_revision 0x00a0 | device_id 0x1021
    data.set([0x00, 0x00, 0x00, 0x1c], 0x44); // fw_info.extended_major @ fw+0x24 = 28
    data.set([0x00, 0x00, 0x00, 0x27], 0x48); // extended_minor = 39
    data.set([0x00, 0x00, 0x03, 0xea], 0x4c); // extended_sub_minor = 1002
    data.set(Buffer.from('MT_0000000834'), 0x30); // fw_info.psid @ fw+0x10
    data.set([0x06, 0x11, 0x20, 0x24], 0x28); // fw_info dword2: month 06, day 11, year 0x2024 (BCD)
    const mgir = registerByName('MGIR')!.decode(data);
    expect(mgir).toMatchObject({ device_id: '0x1021', device_name: 'ConnectX-7', fw_version: '28.39.1002', fw_psid: 'MT_0000000834', fw_date: '2024-06-11' });
    // legacy 8-bit major/minor/sub_minor in fw_info dword0 when the extended ones are 0
    const legacy = new Uint8Array(160);
    legacy.set([0x00, 0x10, 0x17, 0x01], 0x20); // major 0x10 = 16, minor 0x17 = 23, sub_minor 1
    expect(registerByName('MGIR')!.decode(legacy).fw_version).toBe('16.23.1');
  });

  it('decodes MCAM: bit (127 - k) of mng_access_reg_cap_mask is register 0x9000 + k', () => {
    const data = new Uint8Array(72);
    // 0x9020 → k = 32 → MSB-first bit 95 → byte 8 + 11, mask 0x01
    data[8 + 11] = 0x01;
    // 0x907f → k = 127 → bit 0 → byte 8, mask 0x80
    data[8] = 0x80;
    // feature mask bit 127 (pcie_performance_group) → byte 40 + 15, mask 0x01
    data[40 + 15] = 0x01;
    const mcam = registerByName('MCAM')!.decode(data);
    expect(mcam.supported_registers).toEqual(['0x9020', '0x907f']);
    expect(mcam.features).toEqual(['pcie_performance_group']);
  });
});

describe('diagnostic counters (mlx5ctl diag_cnt.c layouts)', () => {
  it('QUERY_DIAGNOSTIC_PARAMS and QUERY_DIAGNOSTIC_COUNTERS requests', () => {
    expect(toHexStr(encodeQueryDiagParams())).toBe('08190000000000000000000000000000');
    // num_of_samples[0x10] @ 0x40, sample_index[0x10] @ 0x50
    expect(toHexStr(encodeQueryDiagCounters(3, 0x10))).toBe('08210000000000000003001000000000');
  });

  it('SET_DIAGNOSTIC_PARAMS: context at byte 8, counter_id[] after 0xc0 bits', () => {
    const req = encodeSetDiagParams({ enable: true, counters: [0x401, 0x2006], logNumOfSamples: 10, logSamplePeriod: 20, repetitive: true, clear: true });
    expect(toHexStr(req)).toBe(
      '0820000000000000' + // opcode 0x820, op_mod 0 (8-byte header)
        '0002000a' + // num_of_counters 2, log_num_of_samples 10
        '54000014' + // repetitive(0x21) 0x40 | clear(0x23) 0x10 | enable(0x25) 0x04; log_sample_period 20
        '00000000000000000000000000000000' + // reserved_at_40[0x80]
        '00000401' + '00002006', // counter_id[0x10] in the low half of each dword
    );
    expect(classify(req)).toEqual({ rpcClass: 'mutate-debug', scope: 2, name: 'SET_DIAGNOSTIC_PARAMS' });
  });

  it('decodes params and samples', () => {
    const params = hex('00000000 00000000' + '0001000a 88000014' /* single(0x20) 0x80 | on_demand(0x24) 0x08 */ + '00'.repeat(16) + '00000402');
    expect(decodeDiagParams(params)).toMatchObject({ enable: false, single: true, on_demand: true, num_of_counters: 1, counter_ids: [0x402], log_sample_period: 20 });
    const samples = hex('00'.repeat(16) + '0402 0007 00001000 00000001 00000002');
    expect(decodeDiagCounters(samples, 1)).toEqual([{ counter_id: 0x402, sample_id: 7, time_stamp_31_0: 0x1000, counter_value: String(2 ** 32 + 2) }]);
  });
});

describe('FWCTL_INFO device data', () => {
  it('struct fwctl_info_mlx5 is two host-endian u32s; bit 0x4 is TOOLS_RESOURCES', () => {
    expect(decodeInfo(hex('01000000 04000000'))).toEqual({ uid: 1, uctx_caps: '0x00000004', uctx_cap_names: ['TOOLS_RESOURCES'] });
    expect(decodeInfo(hex('07000000 21000000'))).toEqual({ uid: 7, uctx_caps: '0x00000021', uctx_cap_names: ['RAW_TX', '0x20'] });
    expect(() => decodeInfo(hex('01000000'))).toThrowError(expect.objectContaining({ code: 'ACCELCTL_E_MALFORMED_REPLY' }));
  });
});

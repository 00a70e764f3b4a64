/**
 * Golden bytes: struct sizes and offsets against include/linux/bnxt/hsi.h (the
 * `(size:Nb/MB)` comments and field order), and encoded requests compared to
 * hand-derived bytes.
 */
import { describe, expect, it } from 'vitest';
import {
  encodeFuncQcaps,
  encodeFuncReset,
  encodeFwHealthCheck,
  encodeNvmFactoryDefaults,
  encodeTempMonitorQuery,
  encodeVerGet,
} from '../../../plugins/bnxt/encode';
import { HWRM, HWRM_ERR } from '../../../plugins/bnxt/hsi';
import {
  FuncQcapsOutput,
  FuncQcapsOutputExt,
  FuncResetInput,
  FwHealthCheckOutput,
  HwrmErrOutput,
  HwrmInput,
  HwrmOutput,
  NvmFactoryDefaultsInput,
  NvmFactoryDefaultsOutput,
  TempMonitorQueryOutput,
  VerGetInput,
  VerGetOutput,
} from '../../../plugins/bnxt/layouts';
import { decodeVerGet } from '../../../plugins/bnxt/decode';
import { hex, unhex } from './helpers';

const at = (s: { fields: Record<string, unknown> }, f: string): number => (s.fields[f] as { at: number }).at;

describe('hsi.h struct sizes', () => {
  it.each([
    [HwrmInput, 16], // input (size:128b/16B)
    [HwrmOutput, 8], // output (size:64b/8B)
    [HwrmErrOutput, 16], // hwrm_err_output (size:128b/16B)
    [VerGetInput, 24], // hwrm_ver_get_input (size:192b/24B)
    [VerGetOutput, 176], // hwrm_ver_get_output (size:1408b/176B)
    [FuncQcapsOutputExt, 144], // hwrm_func_qcaps_output, HSI 1.10.3.133 (computed: valid @143)
    [TempMonitorQueryOutput, 24], // hwrm_temp_monitor_query_output (size:192b/24B)
    [FwHealthCheckOutput, 16], // hwrm_fw_health_check_output (size:128b/16B)
    [FuncResetInput, 24], // hwrm_func_reset_input (size:192b/24B)
    [NvmFactoryDefaultsInput, 24], // hwrm_nvm_factory_defaults_input (size:192b/24B)
    [NvmFactoryDefaultsOutput, 16], // hwrm_nvm_factory_defaults_output (size:128b/16B)
  ])('%s', (struct, size) => {
    expect(struct.size).toBe(size);
  });
});

describe('hsi.h field offsets', () => {
  it('request and response headers', () => {
    expect([at(HwrmInput, 'req_type'), at(HwrmInput, 'cmpl_ring'), at(HwrmInput, 'seq_id'), at(HwrmInput, 'target_id'), at(HwrmInput, 'resp_addr')]).toEqual([0, 2, 4, 6, 8]);
    expect([at(HwrmOutput, 'error_code'), at(HwrmOutput, 'req_type'), at(HwrmOutput, 'seq_id'), at(HwrmOutput, 'resp_len')]).toEqual([0, 2, 4, 6]);
    expect(at(HwrmErrOutput, 'cmd_err')).toBe(14);
  });

  it('hwrm_ver_get_output', () => {
    expect(at(VerGetOutput, 'hwrm_intf_maj_8b')).toBe(8);
    expect(at(VerGetOutput, 'dev_caps_cfg')).toBe(24);
    expect(at(VerGetOutput, 'hwrm_fw_name')).toBe(32);
    expect(at(VerGetOutput, 'active_pkg_name')).toBe(80);
    expect(at(VerGetOutput, 'roce_fw_name')).toBe(96);
    expect(at(VerGetOutput, 'chip_num')).toBe(112);
    expect(at(VerGetOutput, 'chip_platform_type')).toBe(117);
    expect(at(VerGetOutput, 'def_req_timeout')).toBe(122);
    expect(at(VerGetOutput, 'flags')).toBe(124);
    expect(at(VerGetOutput, 'always_1')).toBe(127);
    expect(at(VerGetOutput, 'hwrm_intf_major')).toBe(128);
    expect(at(VerGetOutput, 'hwrm_fw_major')).toBe(136);
    expect(at(VerGetOutput, 'roce_fw_patch')).toBe(166);
    expect(at(VerGetOutput, 'max_req_timeout')).toBe(170);
    expect(at(VerGetOutput, 'valid')).toBe(175);
  });

  it('hwrm_func_qcaps_output', () => {
    expect(at(FuncQcapsOutput, 'flags')).toBe(12);
    expect(at(FuncQcapsOutput, 'mac_address')).toBe(16);
    expect(at(FuncQcapsOutput, 'max_stat_ctx')).toBe(38);
    expect(at(FuncQcapsOutput, 'max_hw_ring_grps')).toBe(72);
    expect(at(FuncQcapsOutput, 'flags_ext')).toBe(80);
    expect(at(FuncQcapsOutput, 'flags_ext2')).toBe(88);
    expect(at(FuncQcapsOutputExt, 'device_serial_number')).toBe(96);
    expect(at(FuncQcapsOutputExt, 'flags_ext3')).toBe(132);
  });

  it('temp monitor, health, reset, factory defaults', () => {
    expect(['temp', 'phy_temp', 'om_temp', 'flags', 'temp2', 'warn_threshold', 'shutdown_threshold', 'valid'].map((f) => at(TempMonitorQueryOutput, f))).toEqual([8, 9, 10, 11, 12, 15, 18, 23]);
    expect(at(FwHealthCheckOutput, 'fw_status')).toBe(8);
    expect([at(FuncResetInput, 'enables'), at(FuncResetInput, 'vf_id'), at(FuncResetInput, 'func_reset_level')]).toEqual([16, 20, 22]);
    expect([at(NvmFactoryDefaultsInput, 'mode'), at(NvmFactoryDefaultsInput, 'selection'), at(NvmFactoryDefaultsOutput, 'result')]).toEqual([16, 18, 8]);
  });

  it('req_type and error code numbers (struct cmd_nums / ret_codes)', () => {
    expect([HWRM.VER_GET, HWRM.FUNC_RESET, HWRM.FUNC_QCAPS, HWRM.FW_HEALTH_CHECK, HWRM.TEMP_MONITOR_QUERY, HWRM.NVM_FACTORY_DEFAULTS]).toEqual([0x0, 0x11, 0x15, 0xc2, 0xe0, 0xffee]);
    expect([HWRM.PORT_PHY_I2C_WRITE, HWRM.PORT_PHY_MDIO_WRITE, HWRM.DBG_CFG, HWRM.NVM_RAW_WRITE_BLK]).toEqual([0x2b, 0xb5, 0xff16, 0xffff]);
    expect([HWRM_ERR.INVALID_PARAMS, HWRM_ERR.RESOURCE_ACCESS_DENIED, HWRM_ERR.HOT_RESET_PROGRESS, HWRM_ERR.CMD_NOT_SUPPORTED]).toEqual([0x2, 0x3, 0xa, 0xffff]);
  });
});

describe('encoded requests (bytes derived by hand from hsi.h)', () => {
  // header: req_type le16, cmpl_ring 0xffff, seq_id 0, target_id 0xffff, resp_addr 0
  it('HWRM_VER_GET asks for interface 1.10.3', () => {
    expect(hex(encodeVerGet())).toBe('0000ffff0000ffff' + '0000000000000000' + '010a030000000000');
  });
  it('HWRM_FUNC_QCAPS for fid 0xffff', () => {
    expect(hex(encodeFuncQcaps())).toBe('1500ffff0000ffff' + '0000000000000000' + 'ffff000000000000');
  });
  it('HWRM_TEMP_MONITOR_QUERY and HWRM_FW_HEALTH_CHECK are bare 16-byte headers', () => {
    expect(hex(encodeTempMonitorQuery())).toBe('e000ffff0000ffff0000000000000000');
    expect(hex(encodeFwHealthCheck())).toBe('c200ffff0000ffff0000000000000000');
  });
  it('HWRM_FUNC_RESET resetme, and resetvf with VF_ID_VALID', () => {
    expect(hex(encodeFuncReset('resetme'))).toBe('1100ffff0000ffff' + '0000000000000000' + '00000000' + '0000' + '01' + '00');
    expect(hex(encodeFuncReset('resetvf', 3))).toBe('1100ffff0000ffff' + '0000000000000000' + '01000000' + '0300' + '03' + '00');
  });
  it('HWRM_NVM_FACTORY_DEFAULTS restore cfg-option', () => {
    expect(hex(encodeNvmFactoryDefaults(0, 1))).toBe('eeffffff0000ffff' + '0000000000000000' + '00' + '00' + '0100' + '00000000');
  });
});

describe('decode a hand-built HWRM_VER_GET response', () => {
  it('reads versions, names and chip from their offsets', () => {
    const reply = new Uint8Array(176);
    reply.set(unhex('0000 0000 0700 b000'), 0); // error 0, req_type 0, seq 7, resp_len 176
    reply.set([1, 10, 3, 133], 8); // 8-bit interface version
    reply.set([230, 0, 160, 0], 12); // 8-bit hwrm fw version
    reply.set(Buffer.from('230.0.160.0'), 80); // active_pkg_name
    reply.set(unhex('5017 01 00'), 112); // chip_num 0x1750 LE, rev 1, metal 0
    reply[175] = 0; // the kernel zeroes valid; decoders must not care
    const v = decodeVerGet(reply);
    expect(v.hwrm_interface).toBe('1.10.3.133');
    expect(v.firmware.hwrm).toBe('230.0.160.0');
    expect(v.package).toBe('230.0.160.0');
    expect(v.chip).toMatchObject({ num: '0x1750', name: 'BCM57508', rev: 1, stepping: 'B0' });
  });

  it('prefers the 16-bit version fields when filled', () => {
    const reply = new Uint8Array(176);
    reply.set([1, 10, 3, 133], 8);
    reply.set(unhex('e6000000a0000100'), 136); // hwrm_fw 230.0.160.1 as le16 x4
    expect(decodeVerGet(reply).firmware.hwrm).toBe('230.0.160.1');
  });
});

describe('round trips', () => {
  it('FuncResetInput and NvmFactoryDefaultsInput', () => {
    expect(FuncResetInput.decode(encodeFuncReset('resetvf', 9))).toMatchObject({ enables: 1, vf_id: 9, func_reset_level: 3 });
    expect(NvmFactoryDefaultsInput.decode(encodeNvmFactoryDefaults(1, 2))).toMatchObject({ mode: 1, selection: 2 });
    expect(HwrmInput.decode(encodeVerGet())).toEqual({ req_type: 0, cmpl_ring: 0xffff, seq_id: 0, target_id: 0xffff, resp_addr: 0n });
  });
});

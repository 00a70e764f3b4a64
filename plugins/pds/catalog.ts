/**
 * The firmware package catalogue: endpoints, operations, their attributes and
 * payload layouts, as a product SDK documents them.
 *
 * Why a catalogue: pds_fwctl learns the endpoint and operation lists from
 * firmware with PDS_FWCTL_CMD_QUERY adminq commands that only the driver sends,
 * and keeps them to itself; FWCTL_RPC only forwards PDS_FWCTL_CMD_RPC to a listed
 * (endpoint, operation). Userspace therefore has no query it could send (the
 * kernel doc: "The RPC endpoints, operations, and buffer contents are defined by
 * the particular firmware package ... available in the specific product SDK
 * documentation"). This table is that documentation for the firmware package
 * accelctl models (the simulated DSC); a real package needs its own table.
 */
import { type OperationTable } from './protocol';
import { FwAttr, makeOp } from './protocol';
import * as P from './payloads';
import * as C from './payloads-caps';

export interface PayloadIn {
  /** in.len the operation expects. */
  size: number;
  /** Field list for help text, e.g. "port u32". */
  fields: string;
}

export interface PayloadOut {
  /** out.len that holds the whole answer, for the requested version. */
  size(version: number): number;
  decode(bytes: Uint8Array, version: number): Record<string, unknown>;
}

export interface OperationSpec {
  command: number;
  /** Newest version the firmware lists (bits 16-23 of the listed id). */
  version: number;
  name: string;
  attr: number;
  summary: string;
  request?: PayloadIn;
  response?: PayloadOut;
}

export interface EndpointSpec {
  id: number;
  name: string;
  summary: string;
  operations: readonly OperationSpec[];
}

export interface FirmwarePackage {
  name: string;
  /** pds_fwctl_ident limits of the package (the driver refuses larger in.len / out.len). */
  maxReqSz: number;
  maxRespSz: number;
  endpoints: readonly EndpointSpec[];
}

const fixed = (size: number, decode: (b: Uint8Array) => Record<string, unknown>): PayloadOut => ({ size: () => size, decode: (b) => decode(b) });

export const CATALOGUE: FirmwarePackage = {
  name: 'accelctl-dsc-model 1.x',
  maxReqSz: 1024,
  maxRespSz: 4096,
  endpoints: [
    {
      id: 1,
      name: 'system',
      summary: 'identity, firmware slots, health, sensors, identify LED, configuration commit, firmware restart',
      operations: [
        { command: 0x0001, version: 0, name: 'get_ident', attr: FwAttr.READ, summary: 'firmware version, ASIC, serial, uptime', response: fixed(P.SysIdent.size, P.decodeSysIdent) },
        { command: 0x0002, version: 0, name: 'get_temps', attr: FwAttr.READ, summary: 'ASIC, board and HBM temperatures', response: fixed(P.SysTemps.size, P.decodeSysTemps) },
        { command: 0x0003, version: 0, name: 'set_identify_led', attr: FwAttr.WRITE, summary: 'turn the identify LED on (1) or off (0)', request: { size: P.LedRequest.size, fields: 'on u32' } },
        { command: 0x0004, version: 0, name: 'commit_config', attr: FwAttr.SYNC, summary: 'write pending configuration to flash', response: fixed(P.CommitReply.size, P.decodeCommit) },
        { command: 0x0005, version: 0, name: 'get_fw_list', attr: FwAttr.READ, summary: 'firmware slots (goldfw, mainfwa, mainfwb): versions, running and boot slot', response: fixed(C.FW_LIST_SIZE, C.decodeFwListJson) },
        { command: 0x0006, version: 0, name: 'get_health', attr: FwAttr.READ, summary: 'firmware status, heartbeat, error and recovery counts, thermal and link state', response: fixed(C.Health.size, C.decodeHealthJson) },
        { command: 0x0007, version: 0, name: 'get_power', attr: FwAttr.READ, summary: 'board and ASIC power, input voltage, power limit', response: fixed(C.Power.size, C.decodePowerJson) },
        // Like commit_config, a restart makes saved state take effect: the package marks both SYNC (→ CONFIGURATION).
        { command: 0x0008, version: 0, name: 'reset', attr: FwAttr.SYNC, summary: 'restart the card firmware (kind 0): saved configuration and the boot slot take effect', request: { size: C.ResetRequest.size, fields: 'kind u32' } },
      ],
    },
    {
      id: 2,
      name: 'port',
      summary: 'Ethernet ports: counters, configuration, SerDes',
      operations: [
        {
          command: 0x0101,
          version: 1,
          name: 'get_stats',
          attr: FwAttr.READ,
          summary: 'packet and byte counters (v1 adds error counters)',
          request: { size: P.PortRequest.size, fields: 'port u32' },
          response: { size: (v) => (v === 0 ? P.PortStatsV0.size : P.PortStatsV1.size), decode: P.decodePortStats },
        },
        { command: 0x0102, version: 0, name: 'get_config', attr: FwAttr.READ, summary: 'MTU, speed, FEC, autoneg, admin state', request: { size: P.PortRequest.size, fields: 'port u32' }, response: fixed(P.PortConfig.size, P.decodePortConfig) },
        { command: 0x0103, version: 0, name: 'set_mtu', attr: FwAttr.WRITE, summary: 'set the MTU (68..9216), pending until commit_config', request: { size: P.MtuRequest.size, fields: 'port u32, mtu u32' } },
        { command: 0x0104, version: 0, name: 'read_serdes', attr: FwAttr.DEBUG_READ, summary: 'raw SerDes lane registers', request: { size: P.SerdesRequest.size, fields: 'port u32, lane u32' }, response: fixed(P.SERDES_REGS_SIZE, P.decodeSerdesRegs) },
        { command: 0x0105, version: 0, name: 'reset_serdes', attr: FwAttr.DEBUG_WRITE, summary: 'reset one SerDes lane (link flaps)', request: { size: P.SerdesRequest.size, fields: 'port u32, lane u32' } },
      ],
    },
    {
      id: 3,
      name: 'diag',
      summary: 'firmware log and raw CSR access',
      operations: [
        { command: 0x0201, version: 0, name: 'read_log', attr: FwAttr.DEBUG_READ, summary: 'firmware log text from an offset', request: { size: P.LogRequest.size, fields: 'offset u32' }, response: { size: () => 1024, decode: (b) => P.decodeLog(b) } },
        { command: 0x0202, version: 0, name: 'clear_log', attr: FwAttr.DEBUG_WRITE, summary: 'clear the firmware log' },
        { command: 0x0203, version: 0, name: 'read_csr', attr: FwAttr.DEBUG_READ, summary: 'read a 32-bit ASIC register', request: { size: P.CsrReadRequest.size, fields: 'addr u64' }, response: fixed(P.CsrValue.size, P.decodeCsrValue) },
        // 0x20 is not a PDSFC_FW_CMD_ATTR_* value: the kernel's default branch makes it DEBUG_WRITE_FULL.
        { command: 0x0204, version: 0, name: 'write_csr', attr: 0x20, summary: 'write a 32-bit ASIC register', request: { size: P.CsrWriteRequest.size, fields: 'addr u64, value u32' } },
      ],
    },
    {
      id: 4,
      name: 'config',
      summary: 'persistent parameters: default, current and next-boot values (commit with system.commit_config)',
      operations: [
        { command: 0x0301, version: 0, name: 'get_param', attr: FwAttr.READ, summary: 'default, current and next-boot value of one parameter', request: { size: C.ParamRequest.size, fields: 'id u32' }, response: fixed(C.ParamValues.size, C.decodeParamValuesJson) },
        { command: 0x0302, version: 0, name: 'set_param', attr: FwAttr.WRITE, summary: 'stage a next-boot value (immediate parameters also change now)', request: { size: C.ParamSet.size, fields: 'id u32, rsvd u32, value[32]' } },
      ],
    },
  ],
};

/** The catalogue as the classifier's operation table (listed ids, firmware order). */
export function operationTable(pkg: FirmwarePackage = CATALOGUE): OperationTable {
  return {
    maxReqSz: pkg.maxReqSz,
    maxRespSz: pkg.maxRespSz,
    endpoints: pkg.endpoints.map((ep) => ({
      id: ep.id,
      name: ep.name,
      operations: ep.operations.map((op) => ({ id: makeOp(op.command, op.version), attr: op.attr, name: op.name })),
    })),
  };
}

export function findEndpoint(id: number, pkg: FirmwarePackage = CATALOGUE): EndpointSpec | undefined {
  return pkg.endpoints.find((ep) => ep.id === id);
}

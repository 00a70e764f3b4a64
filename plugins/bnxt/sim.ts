/**
 * Simulated Broadcom BCM57508 (PCI 14e4:1750) behind bnxt_en + bnxt_fwctl.
 */
import { AccelError, defineSimulator } from 'accelctl/sdk';
import { CHIP_NAMES } from './decode';
import { HWRM_ERR } from './hsi';
import { buildImageBytes, chipNumFromTarget, IMAGE_HEADER_SIZE, IMAGE_TRAILER_SIZE } from './image';
import { HwrmErrOutput, HwrmInput, HwrmOutput } from './layouts';
import { bnxtDriverCheck } from './sim-driver';
import { FW_STATUS, bnxtFirmware, type BnxtSimState } from './sim-firmware';
import { boot, ensureNvm } from './sim-nvm';

/** Default size of a built image: several 64 KiB NVM_MODIFY chunks. */
const DEFAULT_IMAGE_SIZE = 300_000;

/** Stable small hash so MAC and DSN follow the fleet serial. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

const hex = (value: number, bytes: number): string => value.toString(16).padStart(bytes * 2, '0').slice(-bytes * 2);

/** struct fwctl_info_bnxt: uctx_caps = INLINE | QUERY | SEND | DMA commands (bits 0..3). */
const UCTX_CAPS = 0xf;

export default defineSimulator<BnxtSimState>({
  pci: { vendor: 0x14e4, device: 0x1750, classCode: 0x020000, driver: 'bnxt_en' },
  topology: 'pci',
  model: 'BCM57508 NetXtreme-E 10Gb/25Gb/40Gb/50Gb/100Gb/200Gb Ethernet',
  create({ index, serial }) {
    const h = hash32(serial);
    return {
      index,
      serial,
      // Broadcom OUI 00:0a:f7, then three bytes from the serial.
      mac: `000af7${hex(h, 3)}`,
      dsn: `${hex(h, 4)}${hex(hash32(`${serial}/dsn`), 4)}`,
      fw: {
        hwrmIntf: [1, 10, 3, 133],
        hwrm: [230, 0, 160, 0],
        mgmt: [230, 0, 160, 0],
        netctrl: [230, 0, 160, 0],
        roce: [230, 0, 160, 0],
        pkg: '230.0.160.0',
      },
      chip: { num: 0x1750, rev: 1, metal: 0, bondId: 0 },
      fwStatus: FW_STATUS.SBI_BOOTED | FW_STATUS.SRT_BOOTED | FW_STATUS.CRT_BOOTED | FW_STATUS.DIR_HDR_BOOTED,
      tempBaseC: 52 + (h % 6),
      activeVfs: 4,
      resets: { count: 0, last: null },
      factory: { saved: true, creates: 0, restores: 0, lastRestoreAt: null },
      config: { nvm: {}, running: {} },
      banks: { active: 0, images: [{ state: 'valid', version: '230.0.160.0' }, { state: 'valid', version: '230.0.160.0' }], pending: null, staging: null },
    };
  },
  info() {
    const data = new Uint8Array(4);
    new DataView(data.buffer).setUint32(0, UCTX_CAPS, true);
    return data;
  },
  driverCheck: (scope, request, outLen) => bnxtDriverCheck(scope, request, outLen),
  firmware: bnxtFirmware,
  /** hwrm_err_output with HWRM_ERR_CODE_HWRM_ERROR: the firmware failed the command. */
  errorReply(request, outLen) {
    const body = HwrmErrOutput.encode({ cmd_err: 0, valid: 1 });
    HwrmOutput.write(body, { error_code: HWRM_ERR.HWRM_ERROR, req_type: request.length >= 2 ? HwrmInput.get(request, 'req_type') : 0, seq_id: 0, resp_len: body.length });
    const out = new Uint8Array(Math.max(outLen, 0));
    out.set(body.subarray(0, Math.min(body.length, out.length)));
    return out;
  },
  /** Power cycle: a flash in progress is lost (its bank stays incomplete); the chip boots from NVM. */
  powerCycle(state) {
    ensureNvm(state);
    boot(state);
  },
  buildImage({ version, size, corrupt, target }, state) {
    const chipNum = target === undefined ? (state?.chip.num ?? 0x1750) : chipNumFromTarget(target, CHIP_NAMES);
    if (chipNum === undefined) {
      throw new AccelError('ACCELCTL_E_BAD_INPUT', `unknown bnxt target "${target}"`, { hint: `a chip name (${Object.values(CHIP_NAMES).slice(0, 4).join(', ')}, ...) or a chip number such as 0x1750` });
    }
    const total = size ?? DEFAULT_IMAGE_SIZE;
    if (total < IMAGE_HEADER_SIZE + IMAGE_TRAILER_SIZE) throw new AccelError('ACCELCTL_E_BAD_INPUT', `a bnxt image is at least ${IMAGE_HEADER_SIZE + IMAGE_TRAILER_SIZE} bytes`);
    return buildImageBytes({ version, chipNum, payloadSize: total - IMAGE_HEADER_SIZE - IMAGE_TRAILER_SIZE, corrupt: corrupt ?? false });
  },
});

/**
 * Simulated Broadcom BCM57508 (PCI 14e4:1750) behind bnxt_en + bnxt_fwctl.
 */
import { defineSimulator } from 'accelctl/sdk';
import { bnxtDriverCheck } from './sim-driver';
import { FW_STATUS, bnxtFirmware, type BnxtSimState } from './sim-firmware';

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
    };
  },
  info() {
    const data = new Uint8Array(4);
    new DataView(data.buffer).setUint32(0, UCTX_CAPS, true);
    return data;
  },
  driverCheck: (scope, request, outLen) => bnxtDriverCheck(scope, request, outLen),
  firmware: bnxtFirmware,
});

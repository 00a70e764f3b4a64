/**
 * The simulated CXL Type-3 memory expander: the kernel's cxl fwctl driver
 * (sim-driver.ts) in front of the device mailbox (sim-device.ts).
 *
 * The fwctl node hangs off the CXL memdev (memN), whose parent is the PCI
 * function (class 0x050210: memory controller / CXL / CXL memory device, bound
 * to cxl_pci). The PCI IDs are the ones QEMU's cxl-type3 device uses
 * (8086:0d93, Red Hat subsystem), the CXL device most developers have at hand.
 *
 * No buildImage: the cxl fwctl driver cannot transfer firmware (README.md).
 */
import { defineSimulator } from 'accelctl/sdk';
import { MboxRc } from './retcodes';
import { createFeatures } from './sim-catalog';
import { deviceReset } from './sim-device';
import { driverCheck, FEATURES_RW, handle, type DriverState } from './sim-driver';
import { createHealth } from './sim-telemetry';

export type CxlSimState = DriverState;

export default defineSimulator<CxlSimState>({
  pci: { vendor: 0x8086, device: 0x0d93, subsystemVendor: 0x1af4, subsystemDevice: 0x1100, classCode: 0x050210, driver: 'cxl_pci' },
  topology: 'cxl-memdev',
  model: 'CXL Type-3 Memory Expander 256GB DDR5',
  // Identify Memory Device's FW Revision (16 ASCII bytes), as QEMU's cxl-type3 reports it.
  memdevFirmwareVersion: 'BWFW VERSION 00',
  create({ index }) {
    return { payload_size: 256, feat_cap: FEATURES_RW, features: createFeatures(index), transfer: null, health: createHealth(index) };
  },
  // cxlctl_ops has no info callback: FWCTL_INFO returns no device data.
  info: () => new Uint8Array(0),
  driverCheck: (scope, request, _outLen, state) => driverCheck(scope, request, state),
  firmware: (state, request, _outLen, env) => handle(state, request, { now: env.now, faults: env.faults }),
  // A delivered fwctl_rpc_cxl_out whose mailbox return code is Internal Error,
  // what the driver hands back when the device's firmware fails a command.
  errorReply() {
    const reply = new Uint8Array(8);
    new DataView(reply.buffer).setUint32(4, MboxRc.INTERNAL, true);
    return reply;
  },
  // A power cycle applies next-boot (saved) feature values and restarts the clock.
  powerCycle: (state, now) => deviceReset(state, now),
});

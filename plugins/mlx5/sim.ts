/**
 * Simulated ConnectX-7 behind the mlx5 fwctl driver: PCI identity, the
 * driver's checks (sim-driver.ts) and the firmware model (sim-firmware.ts).
 */
import { defineSimulator, type Scope } from 'accelctl/sdk';
import { FwctlInfoMlx5, UCTX_CAP_TOOLS_RESOURCES } from './prm';
import { mlx5DriverCheck } from './sim-driver';
import { runFirmware } from './sim-firmware';
import { createState, type Mlx5SimState } from './sim-state';

export default defineSimulator<Mlx5SimState>({
  pci: { vendor: 0x15b3, device: 0x1021, subsystemVendor: 0x15b3, classCode: 0x020000, driver: 'mlx5_core' },
  topology: 'pci',
  model: 'NVIDIA ConnectX-7 HHHL Adapter Card, 200GbE / NDR200 IB, Dual-port QSFP112, PCIe 5.0 x16',
  create: createState,
  info(state) {
    // mlx5ctl_open_uctx(): TOOLS_RESOURCES is requested only when the firmware offers it.
    return FwctlInfoMlx5.encode({ uid: state.uid, uctx_caps: state.tools_resources ? UCTX_CAP_TOOLS_RESOURCES : 0 });
  },
  driverCheck(scope: Scope, request, outLen) {
    return mlx5DriverCheck(scope, request, outLen);
  },
  firmware: runFirmware,
});

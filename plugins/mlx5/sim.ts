/**
 * Simulated ConnectX-7 behind the mlx5 fwctl driver: PCI identity, the
 * driver's checks (sim-driver.ts) and the firmware model (sim-firmware.ts,
 * sim-mgmt.ts for NV configuration, reset, flash banks and counters).
 */
import { defineSimulator, type Scope } from 'accelctl/sdk';
import { buildImage } from './image';
import { FwctlInfoMlx5, MboxIn, MboxOut, UCTX_CAP_TOOLS_RESOURCES } from './prm';
import { mlx5DriverCheck } from './sim-driver';
import { runFirmware, syndromeFor } from './sim-firmware';
import { boot } from './sim-mgmt';
import { createState, type Mlx5SimState } from './sim-state';
import { ensureState } from './sim-mgmt';

/** MLX5_CMD_STAT_INT_ERR: what a firmware in trouble answers (the fw-error fault). */
const STAT_INT_ERR = 0x1;

export default defineSimulator<Mlx5SimState>({
  pci: { vendor: 0x15b3, device: 0x1021, subsystemVendor: 0x15b3, classCode: 0x020000, driver: 'mlx5_core' },
  topology: 'pci',
  model: 'NVIDIA ConnectX-7 HHHL Adapter Card, 200GbE / NDR200 IB, Dual-port QSFP112, PCIe 5.0 x16',
  create(seed) {
    const state = createState(seed);
    ensureState(state);
    return state;
  },
  info(state) {
    // mlx5ctl_open_uctx(): TOOLS_RESOURCES is requested only when the firmware offers it.
    return FwctlInfoMlx5.encode({ uid: state.uid, uctx_caps: state.tools_resources ? UCTX_CAP_TOOLS_RESOURCES : 0 });
  },
  driverCheck(scope: Scope, request, outLen) {
    return mlx5DriverCheck(scope, request, outLen);
  },
  firmware: runFirmware,
  errorReply(request) {
    const opcode = request.length >= 16 ? MboxIn.get(request, 'opcode') : 0;
    return MboxOut.encode({ status: STAT_INT_ERR, syndrome: syndromeFor(opcode, STAT_INT_ERR, 0xdead) });
  },
  powerCycle(state) {
    // Cold boot: the bank marked for boot runs, NV next-boot values load, volatile state is lost.
    boot(state, Date.now());
  },
  buildImage(options, state) {
    return buildImage({ version: options.version, size: options.size, corrupt: options.corrupt, target: options.target ?? state?.psid ?? 'MT_0000000834' });
  },
});

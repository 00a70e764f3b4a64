/**
 * Simulated AMD Pensando DSC: the pds_core PF (1dd8:100c) whose pds_core.fwctl
 * auxiliary device pds_fwctl binds to. fwctl_alloc_device() is given
 * &padev->vf_pdev->dev, the PF itself, so /sys/class/fwctl/fwctlN/device is the
 * PCI function (topology 'pci').
 *
 * driverCheck runs the driver's validation (sim-driver.ts); firmware() does the
 * rest of pdsfc_fw_rpc: copy the in payload from user memory (memdup_user),
 * hand the firmware a zeroed response buffer of out.len bytes, copy all of it
 * back (copy_to_user) and return the request with out.retval = comp.err.
 */
import { defineSimulator, type ErrnoName, type Scope } from 'accelctl/sdk';
import { InfoPds, PDS_FWCTL_QUERY_CAP, PDS_FWCTL_SEND_CAP, RpcPds } from './protocol';
import { probeDriver, validateRpc, type DriverTables } from './sim-driver';
import { firmwareRpc, RC_EIO } from './sim-firmware';
import { ensureState, powerCycle } from './sim-lifecycle';
import { createState, type PdsSimState } from './sim-state';

export const PCI_VENDOR_ID_PENSANDO = 0x1dd8;
export const PCI_DEVICE_ID_PENSANDO_CORE_PF = 0x100c;

let driver: DriverTables | undefined;

/** The driver's tables live as long as the (simulated) kernel module. */
function driverTables(): DriverTables {
  driver ??= probeDriver();
  return driver;
}

export default defineSimulator<PdsSimState>({
  pci: {
    vendor: PCI_VENDOR_ID_PENSANDO,
    device: PCI_DEVICE_ID_PENSANDO_CORE_PF,
    classCode: 0x120000,
    driver: 'pds_core',
  },
  topology: 'pci',
  model: 'AMD Pensando DSC2-200 (simulated)',
  create: (seed) => ensureState(createState(seed)),

  // pdsfc_probe: caps = PDS_FWCTL_QUERY_CAP | PDS_FWCTL_SEND_CAP (= 0 | 1).
  info: () => InfoPds.encode({ uctxCaps: PDS_FWCTL_QUERY_CAP | PDS_FWCTL_SEND_CAP }),

  driverCheck(scope: Scope, request: Uint8Array): ErrnoName | undefined {
    // The real driver casts `in` without checking in_len; a short struct is refused here.
    if (request.length < RpcPds.size) return 'EINVAL';
    const rpc = RpcPds.decode(request);
    return validateRpc(driverTables(), { op: rpc.inOp, ep: rpc.inEp, inLen: rpc.inLen, outLen: rpc.outLen }, scope);
  },

  firmware(state, request, _outLen, env) {
    const rpc = RpcPds.decode(request);
    // memdup_user(in.payload, in.len): EFAULT before the firmware sees anything.
    const input = rpc.inLen > 0 ? env.memory.read(rpc.inPayload, rpc.inLen) : new Uint8Array(0);
    const done = firmwareRpc(state, { ep: rpc.inEp, op: rpc.inOp, request: input, respSz: rpc.outLen, now: env.now, faults: env.faults });
    if (rpc.outLen > 0) {
      // kzalloc(out.len), firmware fills part of it, copy_to_user of all out.len bytes.
      const out = new Uint8Array(rpc.outLen);
      out.set(done.response.subarray(0, rpc.outLen));
      env.memory.write(rpc.outPayload, out);
    }
    const reply = new Uint8Array(request.subarray(0, RpcPds.size));
    RpcPds.write(reply, { outRetval: done.err });
    return reply;
  },

  // fw-error fault: the RPC is delivered, and the firmware answers PDS_RC_EIO in
  // out.retval (the kernel copies comp.err there; nothing is written to out.payload).
  errorReply(request) {
    const reply = new Uint8Array(RpcPds.size);
    reply.set(request.subarray(0, RpcPds.size));
    RpcPds.write(reply, { outRetval: RC_EIO });
    return reply;
  },

  // Power lost and back: saved configuration and the boot slot load, volatile state is gone.
  powerCycle,
});

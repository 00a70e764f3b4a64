/**
 * `accelctl fw` on a CXL memory device. The cxl fwctl driver passes only the
 * Features commands (drivers/cxl/core/features.c cxlctl_validate_hw_command):
 * Get FW Info (0x0200), Transfer FW (0x0201) and Activate FW (0x0202) are not
 * in its allow-list — the kernel keeps firmware update for itself, behind the
 * firmware-upload interface of the memdev (/sys/class/firmware/memN/, which
 * `cxl update-firmware` from ndctl/cxl-cli drives). So:
 *  - show() reports what the Features commands honestly give: the vendor fuse
 *    information where the device has it, and the firmware versions as unknown;
 *  - flash(), activate(), inspectImage() and checkTarget() refuse plainly.
 */
import { AccelError, type CommandContext, type FirmwareSupport, type FirmwareVersions } from 'accelctl/sdk';
import { knownFeatureByName } from './features';
import { decodeFields, featureTable, readFeature } from './commands/shared';
import { RPC_NAMES } from './protocol';
import { Selection } from './uapi';

export const FW_UNKNOWN = 'unknown via fwctl';

const HINT =
  "use the kernel's CXL firmware upload: `cxl update-firmware memN -F IMAGE` (ndctl/cxl-cli), or write the image to " +
  '/sys/class/firmware/memN/data; the running version is in /sys/bus/cxl/devices/memN/firmware_version';

function unsupported(what: string): AccelError {
  return new AccelError('ACCELCTL_E_UNSUPPORTED', `${what}: the cxl fwctl interface allows only the Features commands, not Get FW Info / Transfer FW / Activate FW (0x0200-0x0202)`, { hint: HINT });
}

async function show(context: CommandContext): Promise<FirmwareVersions> {
  const fixed: Record<string, string> = {};
  const fuse = knownFeatureByName('fuse-info')!;
  const entry = (await featureTable(context)).find((e) => e.uuid === fuse.uuid);
  if (entry) {
    // Vendor feature of the simulated expander: SKU, DRAM vendor and speed grade.
    const values = decodeFields(fuse.read, await readFeature(context, entry, Selection.current, 0, entry.get_feat_size)) ?? {};
    for (const [name, value] of Object.entries(values)) fixed[name] = name === 'sku' ? `0x${value.toString(16).padStart(4, '0')}` : String(value);
  }
  return {
    fixed,
    running: { firmware: `${FW_UNKNOWN} (Get FW Info is not in the cxl fwctl allow-list)` },
    stored: { firmware: FW_UNKNOWN },
    pendingActivation: false,
  };
}

export const firmware: FirmwareSupport = {
  show,
  inspectImage() {
    throw unsupported('cannot check a CXL firmware image');
  },
  async checkTarget() {
    throw unsupported('cannot check a CXL firmware image');
  },
  async flash() {
    throw unsupported('cannot flash a CXL device through fwctl');
  },
  async activate() {
    throw unsupported('cannot activate CXL firmware through fwctl');
  },
  // Never used to send anything: no firmware RPC exists on this interface. Were
  // Transfer FW allowed, it would change the device outside configuration.
  flashClass: 'mutate-debug',
  rpcs: { show: [RPC_NAMES.GET_SUPPORTED_FEATURES, RPC_NAMES.GET_FEATURE], flash: [], activate: [] },
};

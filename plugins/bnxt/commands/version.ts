/** `accelctl bnxt version DEV`: HWRM_VER_GET, decoded. */
import { defineCommand, fields } from 'accelctl/sdk';
import { decodeVerGet, expectReqType, type VerGetInfo } from '../decode';
import { encodeVerGet } from '../encode';
import { HWRM } from '../hsi';

export default defineCommand({
  name: 'version',
  summary: 'Show HWRM interface, firmware and chip versions (HWRM_VER_GET)',
  description:
    'Sends HWRM_VER_GET (needs fwctl scope debug_read_only) and decodes the HWRM interface version, the ' +
    'firmware component versions and names, the active package, the chip number/revision and the device capability bits.',
  rpcClass: 'inspect',
  rpcs: ['HWRM_VER_GET'],
  examples: ['accelctl bnxt version fwctl0', 'accelctl bnxt version 0000:3b:00.0 -o json'],
  async run(ctx): Promise<VerGetInfo> {
    const reply = await ctx.rpc(encodeVerGet());
    expectReqType(reply, HWRM.VER_GET);
    return decodeVerGet(reply);
  },
  render: (r) => [
    fields('Versions', [
      ['HWRM interface', r.hwrm_interface],
      ['Package', r.package],
      ['HWRM firmware', `${r.firmware.hwrm} (${r.firmware_names.hwrm})`],
      ['Management firmware', `${r.firmware.mgmt} (${r.firmware_names.mgmt})`],
      ['Network control firmware', `${r.firmware.netctrl} (${r.firmware_names.netctrl})`],
      ['RoCE firmware', `${r.firmware.roce} (${r.firmware_names.roce})`],
    ]),
    fields('Chip', [
      ['Chip', `${r.chip.name} (${r.chip.num})`],
      ['Stepping', r.chip.stepping],
      ['Platform', r.chip.platform],
      ['Device capabilities', r.dev_caps.join(', ') || 'none'],
      ['Flags', r.flags.join(', ') || 'none'],
      ['Max request window', r.max_req_win_len],
      ['Max response length', r.max_resp_len],
      ['Default timeout (ms)', r.default_timeout_ms],
    ]),
  ],
});

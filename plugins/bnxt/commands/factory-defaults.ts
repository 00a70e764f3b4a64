/** `accelctl bnxt factory-defaults DEV`: HWRM_NVM_FACTORY_DEFAULTS (configure: needs --yes). */
import { defineCommand, fields, option, z } from 'accelctl/sdk';
import { decodeFactoryDefaults, expectReqType } from '../decode';
import { encodeNvmFactoryDefaults } from '../encode';
import { HWRM } from '../hsi';
import { NVM_FACTORY_MODE, NVM_FACTORY_SELECTION } from '../layouts';

export default defineCommand({
  name: 'factory-defaults',
  summary: 'Restore (or save) the factory default NVM configuration (HWRM_NVM_FACTORY_DEFAULTS)',
  description:
    'restore (default) puts the saved factory configuration back; create saves the current configuration as the ' +
    'factory default. --selection picks what: cfg-option (NVM options, default) or crashdump. Takes effect after a reset. ' +
    'A configure RPC: confirm interactively or pass --yes.',
  rpcClass: 'configure',
  dump: false, // changes the device: never part of a bug-report dump
  rpcs: ['HWRM_NVM_FACTORY_DEFAULTS'],
  options: {
    mode: option(z.enum(['restore', 'create']).default('restore'), 'restore | create', { valueName: 'MODE' }),
    selection: option(z.enum(['cfg-option', 'crashdump']).default('cfg-option'), 'cfg-option | crashdump', { valueName: 'WHAT' }),
  },
  examples: ['accelctl bnxt factory-defaults fwctl0 --yes', 'accelctl bnxt factory-defaults fwctl0 --mode create --yes'],
  async run(ctx, { options }) {
    const selection = options.selection === 'crashdump' ? NVM_FACTORY_SELECTION.crashdump : NVM_FACTORY_SELECTION.cfg_option;
    const reply = await ctx.rpc(encodeNvmFactoryDefaults(NVM_FACTORY_MODE[options.mode], selection));
    expectReqType(reply, HWRM.NVM_FACTORY_DEFAULTS);
    return { mode: options.mode, selection: options.selection, ...decodeFactoryDefaults(reply) };
  },
  render: (r) => [fields('Factory defaults', [['Mode', r.mode], ['Selection', r.selection], ['Result', r.result]])],
});

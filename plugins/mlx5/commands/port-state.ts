/**
 * `accelctl mlx5 port-state DEV --port N up|down`: set a port's administrative
 * state by writing PAOS through ACCESS_REG (op_mod 0 = write), which the kernel
 * allows at the CONFIGURATION scope: a `configure` RPC, so the umbrella asks for
 * confirmation (or --yes).
 */
import { AccelError, defineCommand, fields, option, z } from 'accelctl/sdk';
import { ACCESS_REG_WRITE, MBOX_HEADER_SIZE, PaosReg, PORT_DOWN, PORT_STATUS_NAMES, PORT_UP } from '../prm';
import { registerByName } from '../registers';
import { encodeAccessReg } from '../requests';

const PAOS_ID = registerByName('PAOS')?.id ?? 0x5006;

export interface PortStateResult {
  port: number;
  requested: 'up' | 'down';
  admin_status: string;
  oper_status: string;
}

/** The PAOS write the kernel's mlx5_set_port_admin_status() sends: local_port, admin_status, ase = 1. */
export function encodePaosWrite(port: number, state: 'up' | 'down'): Uint8Array {
  const data = PaosReg.encode({ local_port: port, admin_status: state === 'up' ? PORT_UP : PORT_DOWN, ase: 1 });
  return encodeAccessReg(PAOS_ID, ACCESS_REG_WRITE, data);
}

export default defineCommand({
  name: 'port-state',
  summary: 'Set a port administratively up or down (PAOS write)',
  description:
    'Writes the PAOS register (admin_status with the admin-state-enable bit set) through ACCESS_REG ' +
    'op_mod 0. The operational state follows once the link renegotiates.',
  rpcClass: 'configure',
  rpcs: ['ACCESS_REG_WRITE'],
  args: [{ name: 'state', description: 'up or down', required: true }],
  options: {
    port: option(z.coerce.number().int().min(1).max(255).default(1), 'local port', { valueName: 'N' }),
  },
  examples: ['accelctl mlx5 port-state fwctl0 --port 1 down --yes'],
  async run(ctx, { args, options }): Promise<PortStateResult> {
    const state = (args[0] ?? '').toLowerCase();
    if (state !== 'up' && state !== 'down') {
      throw new AccelError('ACCELCTL_E_USAGE', `port state must be 'up' or 'down', not '${args[0] ?? ''}'`);
    }
    const request = encodePaosWrite(options.port, state);
    const reply = await ctx.rpc(request, { outLen: request.length });
    // access_register_out carries the register after the write.
    const paos = PaosReg.decode(reply, MBOX_HEADER_SIZE);
    const name = (v: number) => PORT_STATUS_NAMES[v] ?? `unknown(${v})`;
    return { port: options.port, requested: state, admin_status: name(paos.admin_status), oper_status: name(paos.oper_status) };
  },
  render(result) {
    return [
      fields(`Port ${result.port}`, [
        ['requested', result.requested],
        ['admin_status', result.admin_status],
        ['oper_status', result.oper_status],
      ]),
    ];
  },
});

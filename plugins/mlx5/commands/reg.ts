/**
 * `accelctl mlx5 reg DEV NAME|ID [--port N]`: read an access register with
 * ACCESS_REG (op_mod 1 = read). Known registers are decoded; a numeric id is
 * sent as-is and the reply shown as hex.
 */
import { AccelError, defineCommand, fields, hexNumber, note, option, table, toHex, z, type View } from 'accelctl/sdk';
import { hexRows, parseNumber } from '../args';
import { MBOX_HEADER_SIZE } from '../prm';
import { REGISTERS, registerByName, type RegisterFields, type RegisterInfo } from '../registers';
import { encodeRegisterRead } from '../requests';

export interface RegResult {
  register: string | null;
  register_id: string;
  port: number | null;
  size: number;
  fields: RegisterFields | null;
  /** Register data as hex, always present (raw reads show only this). */
  data_hex: string;
}

const knownList = (): string => REGISTERS.map((r) => `${r.name} (${hexNumber(r.id, 4)})`).join(', ');

/** Resolve NAME or numeric ID; unknown names are a usage error that lists the known ones. */
export function resolveRegister(spec: string): { info?: RegisterInfo; id: number } {
  if (/^(0x[0-9a-f]+|\d+)$/i.test(spec.trim())) {
    const id = parseNumber(spec, 'register id', 0xffff);
    const info = REGISTERS.find((r) => r.id === id);
    return info ? { info, id } : { id };
  }
  const info = registerByName(spec);
  if (!info) {
    throw new AccelError('ACCELCTL_E_USAGE', `unknown register '${spec}'`, {
      hint: `known registers: ${knownList()}; or give a numeric register id (e.g. 0x5008) for a raw hex dump`,
    });
  }
  return { info, id: info.id };
}

export default defineCommand({
  name: 'reg',
  summary: 'Read an access register (ACCESS_REG): PTYS, PAOS, PPCNT, MGIR, MCAM, MTMP, MFRL, MCQS or any id as hex',
  description:
    'Reads a PRM access register with ACCESS_REG op_mod 1 (read), which the kernel allows at the ' +
    'DEBUG_READ_ONLY scope. PTYS (port speeds), PAOS (port admin/oper state), PPCNT (IEEE 802.3 counters), ' +
    'MGIR (firmware/hardware info), MCAM (supported management registers), MTMP (temperature), MFRL (reset ' +
    'capabilities/state) and MCQS (firmware component state) are decoded. A numeric id is sent raw with ' +
    '--size bytes of zeroed register data (--port, if given, sets local_port in bits 8-15 of dword 0, ' +
    'where port registers keep it) and the reply is shown as hex.',
  rpcClass: 'inspect',
  rpcs: ['ACCESS_REG_READ'],
  args: [{ name: 'register', description: `register name (${REGISTERS.map((r) => r.name).join(', ')}) or numeric id`, required: true }],
  options: {
    port: option(z.coerce.number().int().min(1).max(255).optional(), 'local port for per-port registers (default 1)', { valueName: 'N' }),
    size: option(z.coerce.number().int().min(4).max(4096).multipleOf(4).default(256), 'register data bytes for a raw numeric id', {
      valueName: 'BYTES',
    }),
  },
  // A bug report wants every decoded register (inspect: ACCESS_REG reads only).
  dump: REGISTERS.map((r) => ({ args: [r.name] })),
  examples: ['accelctl mlx5 reg fwctl0 PTYS --port 1', 'accelctl mlx5 reg fwctl0 MGIR -o json', 'accelctl mlx5 reg fwctl0 0x5008 --size 256'],
  async run(ctx, { args, options }): Promise<RegResult> {
    const { info, id } = resolveRegister(args[0] ?? '');
    if (info) {
      const port = info.perPort ? (options.port ?? 1) : null;
      const reply = await ctx.rpc(encodeRegisterRead(info.id, info.readData(port ?? 0)), { outLen: MBOX_HEADER_SIZE + info.size });
      const data = reply.subarray(MBOX_HEADER_SIZE, MBOX_HEADER_SIZE + info.size);
      if (data.length < info.size) {
        throw new AccelError('ACCELCTL_E_MALFORMED_REPLY', `${info.name}: ${data.length} bytes of register data, expected ${info.size}`);
      }
      return { register: info.name, register_id: hexNumber(id, 4), port, size: info.size, fields: info.decode(data), data_hex: toHex(data) };
    }
    const data = new Uint8Array(options.size);
    if (options.port !== undefined) data[1] = options.port;
    const reply = await ctx.rpc(encodeRegisterRead(id, data), { outLen: MBOX_HEADER_SIZE + options.size });
    const out = reply.subarray(MBOX_HEADER_SIZE);
    return { register: null, register_id: hexNumber(id, 4), port: options.port ?? null, size: out.length, fields: null, data_hex: toHex(out) };
  },
  render(result) {
    const views: View[] = [];
    const title = `${result.register ?? 'register'} ${result.register_id}${result.port === null ? '' : ` port ${result.port}`}`;
    if (result.fields) {
      views.push(fields(title, Object.entries(result.fields).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') || '-' : v] as const)));
    } else {
      views.push(note(`${title}: not decoded by accelctl, raw register data follows`));
      views.push(table(undefined, ['offset', 'data'], hexRows(Buffer.from(result.data_hex, 'hex')), '(no data)'));
    }
    return views;
  },
});

/**
 * ACCESS_REG round trips for the capability modules: build the mailbox, send
 * it through ctx.rpc (so it is classified and gated: a read is inspect at
 * DEBUG_READ_ONLY, a write configure at CONFIGURATION, exactly as
 * mlx5ctl_validate_rpc() decides from op_mod) and cut the register data out of
 * the reply, bounds-checked.
 */
import { malformedReply, type CommandContext, type RpcOptions } from 'accelctl/sdk';
import { ACCESS_REG_READ, ACCESS_REG_WRITE, MBOX_HEADER_SIZE } from './prm';
import { encodeAccessReg } from './requests';

function registerData(reply: Uint8Array, size: number, what: string): Uint8Array {
  if (reply.length < MBOX_HEADER_SIZE + size) {
    throw malformedReply(`${what}: ${Math.max(0, reply.length - MBOX_HEADER_SIZE)} bytes of register data, expected ${size}`);
  }
  return reply.slice(MBOX_HEADER_SIZE, MBOX_HEADER_SIZE + size);
}

/** Read `data.length` bytes of register `id` (index fields already set in `data`). */
export async function readRegister(ctx: CommandContext, id: number, data: Uint8Array, what: string, options: RpcOptions = {}): Promise<Uint8Array> {
  const reply = await ctx.rpc(encodeAccessReg(id, ACCESS_REG_READ, data), { ...options, outLen: MBOX_HEADER_SIZE + data.length });
  return registerData(reply, data.length, what);
}

/** Write register `id`; returns what the firmware echoed back. */
export async function writeRegister(ctx: CommandContext, id: number, data: Uint8Array, what: string): Promise<Uint8Array> {
  const reply = await ctx.rpc(encodeAccessReg(id, ACCESS_REG_WRITE, data), { outLen: MBOX_HEADER_SIZE + data.length });
  return registerData(reply, data.length, what);
}

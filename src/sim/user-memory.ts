/**
 * A process's memory as a simulated kernel sees it: buffers at (fake) user
 * addresses, read and written the way copy_from_user/copy_to_user do, with
 * EFAULT for anything outside them. The simulated transport maps the request,
 * the reply buffer and every indirect buffer here, then hands the kernel only
 * addresses, exactly as the ioctl path does with real memory.
 */
import { FwctlErrno } from '../transport/types';

const BASE = 0x7f00_0000_0000;
const STRIDE = 0x1_0000_0000;

/**
 * Addresses are u64 in the ioctl structs (bigint) but kept as numbers here: every
 * one this memory hands out is below 2^53, so the arithmetic of each access stays
 * exact without BigInt's cost.
 */
export class UserMemory {
  private readonly regions: { address: number; bytes: Uint8Array }[] = [];

  /** Map `bytes` (not copied: the kernel writes into it) and return its address. */
  map(bytes: Uint8Array): bigint {
    const address = BASE + this.regions.length * STRIDE;
    this.regions.push({ address, bytes });
    return BigInt(address);
  }

  private locate(address: bigint, length: number): { bytes: Uint8Array; at: number } {
    if (length === 0) return { bytes: new Uint8Array(0), at: 0 };
    // Outside the safe integers no region can match (and Number() would round).
    const where = address <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(address) : -1;
    for (const region of this.regions) {
      const at = where - region.address;
      if (where >= 0 && at >= 0 && at + length <= region.bytes.length) return { bytes: region.bytes, at };
    }
    throw new FwctlErrno('EFAULT', `bad user address 0x${address.toString(16)} (+${length})`);
  }

  read(address: bigint, length: number): Uint8Array {
    const { bytes, at } = this.locate(address, length);
    return bytes.slice(at, at + length);
  }

  write(address: bigint, data: Uint8Array): void {
    const { bytes, at } = this.locate(address, data.length);
    bytes.set(data, at);
  }
}

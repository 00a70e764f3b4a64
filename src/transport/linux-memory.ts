/**
 * Buffers the kernel reads and writes during one ioctl. They live outside the
 * JS heap (the GC may move small typed arrays; the kernel needs an address that
 * stays put while a worker thread is inside the call) and are all freed together
 * when the call is over.
 */
import type { NativeLibc, NativeMemory } from './linux-native';

export class Arena {
  private readonly blocks: NativeMemory[] = [];

  constructor(private readonly libc: Pick<NativeLibc, 'alloc'>) {}

  /** Zero-filled memory of `length` bytes. */
  alloc(length: number): NativeMemory {
    const block = this.libc.alloc(length);
    this.blocks.push(block);
    return block;
  }

  /** Memory holding a copy of `data`. */
  copy(data: Uint8Array): NativeMemory {
    const block = this.alloc(data.length);
    block.bytes.set(data);
    return block;
  }

  free(): void {
    for (const block of this.blocks.splice(0)) block.free();
  }
}

/** Run `body` with an arena that is freed afterwards, whatever happens. */
export async function withArena<T>(libc: Pick<NativeLibc, 'alloc'>, body: (arena: Arena) => Promise<T>): Promise<T> {
  const arena = new Arena(libc);
  try {
    return await body(arena);
  } finally {
    arena.free();
  }
}

/**
 * Work that must not stop half way: a configuration write, a firmware flash
 * (everything done under the device lock). Elsewhere accelctl may end early — a
 * reader that closes the pipe (`accelctl dump | head`) has what it wanted — but
 * not here: the work completes and the process ends with the work's own exit code.
 */
let depth = 0;

export async function critical<T>(work: () => Promise<T>): Promise<T> {
  depth++;
  try {
    return await work();
  } finally {
    depth--;
  }
}

export function inCriticalSection(): boolean {
  return depth > 0;
}

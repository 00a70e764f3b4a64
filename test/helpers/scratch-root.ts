/**
 * Vitest global setup: the whole test run gets one scratch directory, and every
 * temporary directory a test or a spawned accelctl makes lands inside it
 * (TMPDIR is what os.tmpdir() reads, and workers and child processes inherit
 * it). Teardown removes it, so a test run leaves nothing behind in /tmp however
 * its tests end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'accelctl-tests-'));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (process.env.ACCELCTL_KEEP_TEST_FILES) {
      console.log(`test files kept in ${root}`);
      return;
    }
    rmSync(root, { recursive: true, force: true });
  };
}

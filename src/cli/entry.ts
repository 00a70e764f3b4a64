/**
 * The front door of the bundle (dist/accelctl.cjs): a bare `--version` is answered
 * before anything else loads; everything else runs the CLI (main.ts, bundled as
 * dist/cli.cjs and loaded with its code cache, see load-cli.ts).
 */
import { fileURLToPath } from 'node:url';
import { writeSync } from 'node:fs';

declare const __ACCELCTL_VERSION__: string;

async function runCli(args: readonly string[]): Promise<number> {
  const { loadCli } = await import('./load-cli');
  // import() written here is Node's own: the bundle borrows it (core/external-import.ts).
  const { cli } = loadCli(fileURLToPath(new URL('./cli.cjs', import.meta.url)), (specifier) => import(specifier));
  return cli.main(args);
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // write(2), not process.stdout: starting that stream costs more than the rest of this
  // (src/output/stdout.ts does the same for the CLI; this file stays small).
  try {
    writeSync(1, `${__ACCELCTL_VERSION__}\n`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') process.stdout.write(`${__ACCELCTL_VERSION__}\n`);
  }
} else {
  // Exit explicitly: a simulated device told to hang keeps a timer alive on purpose.
  runCli(args).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`accelctl: fatal: ${String(error)}\n`);
      process.exit(1);
    },
  );
}

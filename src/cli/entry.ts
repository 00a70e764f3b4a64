/**
 * The front door of the bundle (dist/accelctl.cjs): a bare `--version` is answered
 * before anything else loads; everything else runs the CLI (main.ts, bundled as
 * dist/cli.cjs and loaded with its code cache, see load-cli.ts).
 */
import { fileURLToPath } from 'node:url';

declare const __ACCELCTL_VERSION__: string;

async function runCli(args: readonly string[]): Promise<number> {
  const [{ loadCli }, v8] = await Promise.all([import('./load-cli'), import('node:v8')]);
  // import() written here is Node's own: the bundle borrows it (core/external-import.ts).
  const { cli } = loadCli(fileURLToPath(new URL('./cli.cjs', import.meta.url)), (specifier) => import(specifier));
  // A run of accelctl is a short burst. Under a many-device dump V8 would grow its
  // young generation from 2 to 33 MB: ~10 MB more resident memory and no faster
  // (64 simulated devices: 85.7 -> 76.1 MiB peak, same time and CPU; bench
  // dump.peak_rss_ratio). Keep it at its start size. Set only now: V8 checks the code
  // cache against the flags in force when it is loaded.
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  return cli.main(args);
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${__ACCELCTL_VERSION__}\n`);
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

/**
 * The front door of the bundle (dist/accelctl.js): a bare `--version` is answered
 * before anything else loads; everything else runs the CLI (main.ts, bundled as
 * dist/cli.cjs and loaded with its code cache, see load-cli.ts).
 */
import { fileURLToPath } from 'node:url';
import { loadCli } from './load-cli';

declare const __ACCELCTL_VERSION__: string;

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${__ACCELCTL_VERSION__}\n`);
} else {
  // import() written here is Node's own: the bundle borrows it (core/external-import.ts).
  const { cli } = loadCli(fileURLToPath(new URL('./cli.cjs', import.meta.url)), (specifier) => import(specifier));
  // Exit explicitly: a simulated device told to hang keeps a timer alive on purpose.
  cli.main(args).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`accelctl: fatal: ${String(error)}\n`);
      process.exit(1);
    },
  );
}

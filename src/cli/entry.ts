/**
 * The front door of the bundle (dist/accelctl.js): a bare `--version` is answered
 * before commander and the command modules load (start-up budget, DESIGN.md §6);
 * everything else loads the CLI (main.ts, bundled as dist/cli.js).
 */
declare const __ACCELCTL_VERSION__: string;

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) process.stdout.write(`${__ACCELCTL_VERSION__}\n`);
else await import('./main');

export {};

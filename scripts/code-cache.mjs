// Make dist/cli.cjs.cache (see src/cli/load-cli.ts): run the freshly built CLI over
// a few everyday commands on a throw-away simulated fleet, then store the code V8
// compiled meanwhile. Run by scripts/build.mjs; `--commands` prints what it runs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const source = join(dist, 'cli.cjs');
const { loadCli, cacheHeader } = await import(join(dist, 'load-cli.js'));

const work = mkdtempSync(join(tmpdir(), 'accelctl-code-cache-'));
const fleet = join(work, 'fleet');
// What these commands compile is what the cache holds: `list` for start-up, and a
// dump of every simulated device so that zod and every plugin's commands (which
// `list` no longer loads) are compiled too. A larger cache is read at every start,
// but this one costs `list` under 1 % more instructions (valgrind) than a list-only one.
const COMMANDS = (process.env.ACCELCTL_CODE_CACHE_COMMANDS ?? 'list,dump').split(',').map((command) => ['--sim-dir', fleet, ...command.split(' ')]);

if (process.argv.includes('--commands')) {
  for (const args of COMMANDS) console.log(['accelctl', ...args].join(' '));
  process.exit(0);
}

// The fleet comes from another process, so that creating it is not what gets cached.
execFileSync(process.execPath, [join(dist, 'accelctl.cjs'), 'sim', 'init', fleet], { stdio: 'ignore' });
// V8 takes a cache only under the flags it was made with: keep dump from raising its
// optimisation budget here (src/core/tiering.ts), or every start would refuse the cache.
process.env.ACCELCTL_V8_DEFAULT_TIERING = '1';
const { cli, script } = loadCli(source, (specifier) => import(specifier), join(work, 'no-cache-yet'));
const write = { out: process.stdout.write, err: process.stderr.write };
try {
  for (const args of COMMANDS) {
    process.stdout.write = process.stderr.write = () => true;
    const code = await cli.main(args);
    Object.assign(process.stdout, { write: write.out });
    Object.assign(process.stderr, { write: write.err });
    if (code !== 0) throw new Error(`accelctl ${args.join(' ')} exited ${code} while making the code cache`);
  }
  writeFileSync(`${source}.cache`, Buffer.concat([Buffer.from(cacheHeader(readFileSync(source, 'utf8')), 'latin1'), script.createCachedData()]));
} finally {
  Object.assign(process.stdout, { write: write.out });
  Object.assign(process.stderr, { write: write.err });
  rmSync(work, { recursive: true, force: true });
}
process.exit(0);

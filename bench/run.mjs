#!/usr/bin/env node
/**
 * `npm run bench`: the DESIGN.md §6 budgets, each measured as a ratio side by side
 * in one run, printed one line per figure: `NAME ratio=R (details)`.
 *
 * It builds a private copy of the CLI (bench/.build/pkg, same esbuild settings as
 * scripts/build.mjs, so a concurrent `npm run build` cannot pull dist/ away
 * mid-run) and measures that. Options: --quick (fewer runs), --only a,b (figures).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyArg = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;
const want = (name) => !only || [...only].some((o) => name.startsWith(o));

const STARTUP_RUNS = quick ? 9 : 21;
const DUMP_RUNS = quick ? 3 : 7;
const DEFAULT_TIERING_RUNS = quick ? 1 : 3;
const FLASH_RUNS = quick ? 1 : 3;
const BUDGET = {
  'startup.version': ['<=', 1.3],
  'startup.list': ['<=', 1.6],
  'rpc.overhead_us': ['<=', 5],
  'dump.scaling': ['<=', 2],
  'dump.peak_rss_ratio': ['<=', 1.5],
  'flash.efficiency': ['>=', 0.8],
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (x, d = 2) => Number(x).toFixed(d);
function report(name, ratio, details) {
  const [op, limit] = BUDGET[name];
  const ok = op === '<=' ? ratio <= limit : ratio >= limit;
  console.log(`${name} ratio=${f(ratio)} (${details}; budget ${op === '<=' ? '≤' : '≥'} ${limit}: ${ok ? 'ok' : 'MISS'})`);
}

// --- a private build -------------------------------------------------------
const pkg = join(root, 'bench/.build/pkg');
function buildPrivateCopy() {
  rmSync(pkg, { recursive: true, force: true });
  mkdirSync(join(pkg, 'scripts'), { recursive: true });
  mkdirSync(join(pkg, 'bin'), { recursive: true });
  for (const entry of ['src', 'plugins', 'package.json', 'tsconfig.json', 'tsconfig.sdk.json'].filter((e) => existsSync(join(root, e)))) symlinkSync(join(root, entry), join(pkg, entry));
  cpSync(join(root, 'scripts'), join(pkg, 'scripts'), { recursive: true });
  cpSync(join(root, 'bin'), join(pkg, 'bin'), { recursive: true });
  execFileSync(process.execPath, [join(pkg, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
}
buildPrivateCopy();
const BIN = join(pkg, 'bin/accelctl');

const work = mkdtempSync(join(process.env.BENCH_TMPDIR ?? tmpdir(), 'accelctl-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/**
 * The environment every measured process gets: this one without the variables that
 * change what Node itself does at start-up, for accelctl and for the `node -e 0`
 * it is compared with alike. NODE_EXTRA_CA_CERTS (set on many CI and proxied
 * machines) makes every Node process parse a certificate bundle first — ~45 ms
 * on the bundle a Debian host has, which would flatter every start-up ratio.
 */
const STARTUP_VARIABLES = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS', 'NODE_COMPILE_CACHE', 'NODE_V8_COVERAGE'];
const removed = STARTUP_VARIABLES.filter((name) => process.env[name] !== undefined);
const BASE_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !STARTUP_VARIABLES.includes(name)));
if (removed.length) console.log(`(measured without ${removed.join(', ')}: Node reads it at start-up, for accelctl and node -e 0 alike)`);

/** Run a command to completion; wall time in ms (spawn overhead is the same for every side). */
const HAVE_TIME = existsSync('/usr/bin/time');
/** Also the child's CPU time (user + system) and peak RSS, through /usr/bin/time when present. */
function run(args, { env = {}, allowFail = false } = {}) {
  const rssFile = join(work, 'time.txt');
  const useTime = HAVE_TIME;
  const cmd = useTime ? '/usr/bin/time' : process.execPath;
  const full = useTime ? ['-f', '%U %S %M', '-o', rssFile, process.execPath, ...args] : args;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, full, { env: { ...BASE_ENV, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && !allowFail) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [user, sys, rssKb] = useTime ? readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [];
  return { ms, cpuMs: useTime ? (user + sys) * 1000 : undefined, rssKb, stdout: r.stdout.toString() };
}
const accelctl = (args, opts) => run([BIN, ...args], opts);

/** Alternate A and B runs, n each; medians. */
function sideBySide(n, a, b) {
  const ta = [];
  const tb = [];
  const ca = [];
  const cb = [];
  for (let i = 0; i < n; i++) {
    const ra = a();
    const rb = b();
    ta.push(ra.ms), tb.push(rb.ms), ca.push(ra.cpuMs ?? NaN), cb.push(rb.cpuMs ?? NaN);
  }
  return { a: median(ta), b: median(tb), cpu: HAVE_TIME ? `; CPU (user+sys) ${f(median(ca), 0)} vs ${f(median(cb), 0)} ms, ratio ${f(median(ca) / median(cb))}` : '' };
}
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

// --- startup ---------------------------------------------------------------
if (want('startup.version')) {
  for (let i = 0; i < 3; i++) run(['-e', '0']), accelctl(['--version']); // warm the page cache
  const { a, b, cpu } = sideBySide(STARTUP_RUNS, () => accelctl(['--version']), () => run(['-e', '0']));
  report('startup.version', a / b, `accelctl --version ${f(a, 1)} ms, node -e 0 ${f(b, 1)} ms, median of ${STARTUP_RUNS} alternating runs${cpu}; load ${load()}`);
}
if (want('startup.list')) {
  const fleet = join(work, 'default');
  accelctl(['sim', 'init', fleet]);
  for (let i = 0; i < 3; i++) accelctl(['--sim-dir', fleet, 'list']);
  const { a, b, cpu } = sideBySide(STARTUP_RUNS, () => accelctl(['--sim-dir', fleet, 'list']), () => run(['-e', '0']));
  report('startup.list', a / b, `accelctl --sim-dir DIR list (default fleet, 4 devices) ${f(a, 1)} ms, node -e 0 ${f(b, 1)} ms, median of ${STARTUP_RUNS} alternating runs${cpu}; load ${load()}`);
}

// --- per-RPC overhead, in-process ----------------------------------------
if (want('rpc.overhead_us')) {
  const { build } = await import('esbuild');
  const out = join(root, 'bench/.build/rpc-overhead.mjs');
  await build({
    absWorkingDir: root,
    entryPoints: ['bench/rpc-overhead.ts'],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    alias: { 'accelctl/sdk': './src/sdk/index.ts' },
    define: { __ACCELCTL_VERSION__: '"bench"' },
    logLevel: 'warning',
  });
  const n = quick ? 20_000 : 40_000;
  const r = JSON.parse(run([out, String(n), '5']).stdout);
  report(
    'rpc.overhead_us',
    r.cpu_us_per_rpc,
    `CPU µs per mlx5 QUERY_ADAPTER (encode, classify, policy, timeout, status, decode) with a fake transport answering instantly, median of 5 rounds × ${n} RPCs; wall ${f(r.us_per_rpc)} µs [${r.rounds_us.map((x) => f(x)).join(' ')}]; load ${load()}`,
  );
}

// --- dump scaling ----------------------------------------------------------
if (want('dump')) {
  const f1 = join(work, 'dump1');
  const f64 = join(work, 'dump64');
  accelctl(['sim', 'init', f1, '--fleet', 'mlx5=1', '--latency-ms', '2']);
  accelctl(['sim', 'init', f64, '--fleet', 'mlx5=64', '--latency-ms', '2']);
  const measure = (env, runs) => {
    const one = [];
    const many = [];
    const rss1 = [];
    const rss64 = [];
    const cpu64 = [];
    accelctl(['--sim-dir', f1, 'dump'], { env });
    for (let i = 0; i < runs; i++) {
      const a = accelctl(['--sim-dir', f1, 'dump'], { env });
      const b = accelctl(['--sim-dir', f64, 'dump'], { env });
      one.push(a.ms), many.push(b.ms), rss1.push(a.rssKb), rss64.push(b.rssKb), cpu64.push(b.cpuMs);
    }
    return { one: median(one), many: median(many), rss1: Math.max(...rss1), rss64: Math.max(...rss64), cpu64: median(cpu64) };
  };
  const real = measure({ ACCELCTL_V8_DEFAULT_TIERING: '' }, DUMP_RUNS);
  // The same with V8's own optimisation budget (src/core/tiering.ts), to show what the dump's buys.
  const v8Default = measure({ ACCELCTL_V8_DEFAULT_TIERING: '1' }, DEFAULT_TIERING_RUNS);
  const cpu = (m) => (m.cpu64 === undefined || Number.isNaN(m.cpu64) ? '' : `, CPU ${f(m.cpu64, 0)} ms`);
  const untuned = `with V8's default tiering (ACCELCTL_V8_DEFAULT_TIERING=1, median/max of ${DEFAULT_TIERING_RUNS}): 64 mlx5 ${f(v8Default.many, 0)} ms${cpu(v8Default)}, ${f(v8Default.rss64 / 1024, 1)} MiB`;
  report(
    'dump.scaling',
    real.many / real.one,
    `dump 64 mlx5 ${f(real.many, 0)} ms${cpu(real)}, 1 mlx5 ${f(real.one, 0)} ms, 2 ms latency, default concurrency, whole process, median of ${DUMP_RUNS} alternating runs; ${untuned}; load ${load()}`,
  );
  if (real.rss1 !== undefined) {
    report(
      'dump.peak_rss_ratio',
      real.rss64 / real.rss1,
      `peak RSS 64 devices ${f(real.rss64 / 1024, 1)} MiB, 1 device ${f(real.rss1 / 1024, 1)} MiB (/usr/bin/time %M, max of ${DUMP_RUNS}); ${untuned}, ratio ${f(v8Default.rss64 / v8Default.rss1)}`,
    );
  } else {
    console.log('dump.peak_rss_ratio skipped (no /usr/bin/time)');
  }
}

// --- flash -----------------------------------------------------------------
if (want('flash')) {
  const LATENCY = 2;
  const SIZE = quick ? 256 * 1024 : 1024 * 1024;
  const image = join(work, 'fw.bin');
  // `--version=V`, not `--version V`: the global -V/--version would take the bare form.
  const made = accelctl(['sim', 'fw-image', '--plugin', 'mlx5', '--version=28.40.1000', `--size=${SIZE}`, '--out', image], { allowFail: true });
  if (!existsSync(image)) {
    console.log(`flash.efficiency skipped (sim fw-image failed: ${made.stdout.trim().slice(0, 120)})`);
  } else {
    const once = (env) => {
      const dir = join(work, `flash-${Math.random().toString(36).slice(2)}`);
      accelctl(['sim', 'init', dir, '--fleet', 'mlx5=1', '--latency-ms', String(LATENCY)]);
      const rpcs = () => {
        const s = JSON.parse(accelctl(['--sim-dir', dir, '-o', 'json', 'sim', 'stats']).stdout).devices[0].requested;
        return Object.values(s).reduce((a, b) => a + b, 0);
      };
      const before = rpcs();
      const out = accelctl(['--sim-dir', dir, '-o', 'json', 'fw', 'flash', 'fwctl0', image, '--yes'], { env });
      const result = JSON.parse(out.stdout.trim().split('\n').pop());
      const sent = rpcs() - before;
      return { seconds: result.seconds, rpcs: sent, modelled: (sent * LATENCY) / 1000, wall: out.ms / 1000 };
    };
    // The median of FLASH_RUNS flashes (each onto a fresh device), as the other figures take medians.
    const runs = Array.from({ length: FLASH_RUNS }, () => once({})).sort((a, b) => a.seconds - b.seconds);
    const real = runs[Math.floor(runs.length / 2)];
    report(
      'flash.efficiency',
      real.modelled / real.seconds,
      `mlx5 ${SIZE} B image: modelled ${real.rpcs} RPCs × ${LATENCY} ms = ${f(real.modelled, 3)} s, flash took ${f(real.seconds, 3)} s (${f(((real.seconds - real.modelled) * 1e3) / real.rpcs, 2)} ms extra per RPC; process ${f(real.wall, 2)} s), median of ${FLASH_RUNS} [${runs.map((r) => f(r.seconds, 3)).join(' ')} s]; load ${load()}`,
    );
  }
}

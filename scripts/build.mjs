// Build dist/ with esbuild (start-up budget, DESIGN.md §6):
//   dist/accelctl.cjs      the front door: answers a bare --version, else loads
//   dist/cli.cjs           the whole CLI as one CommonJS script, run with
//   dist/cli.cjs.cache     V8's compiled code for it, made here by running it once
//   dist/sdk.js            `accelctl/sdk`: the running CLI's own SDK, or
//   dist/sdk-standalone.js a bundled copy when no accelctl is running (a plugin's tests)
//   dist/manpages.js       for `npm run man`
//   dist/types/            declarations of accelctl/sdk (tsc)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const version = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).version;

// zod's classic API re-exports every one of its ~45 message locales (more than half
// of zod's code, compiled at every start-up); accelctl and its plugins use the
// default English messages only, so the bundle carries `en` alone.
const zodEnglishOnly = {
  name: 'accelctl-zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      resolveDir: dirname(args.path),
      loader: 'js',
      contents: "export { default as en } from './en.js';",
    }));
  },
};

// commander requires node:child_process (and with it node:net) at load, for
// subcommands that are separate executables, which accelctl has none of; loading
// them cost ~10 ms of every start. Its require gets a stand-in that loads the real
// module only if a property is ever used.
const commanderLazyChildProcess = {
  name: 'accelctl-commander-lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'lazy-child-process', namespace: 'accelctl-lazy' } : undefined,
    );
    b.onLoad({ filter: /^lazy-child-process$/, namespace: 'accelctl-lazy' }, () => ({
      loader: 'js',
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
    }));
  },
};

// In the CLI bundle, the SDK's `z` starts zod only when first used: every plugin
// imports the SDK, but most commands (list, info, health…) never build a schema, and
// zod's classic API costs ~5 ms to start. `z` becomes a stand-in that forwards to zod,
// which esbuild's bundled require() starts on first access. (The sources, the tests
// and the standalone SDK keep the plain re-export.)
const sdkLazyZod = {
  name: 'accelctl-sdk-lazy-zod',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]sdk[\\/]index\.ts$/ }, async (args) => {
      const source = readFileSync(args.path, 'utf8');
      // The very file `import … from 'zod'` resolves to: require('zod') would take the
      // package's CommonJS build, a second zod in the bundle.
      const esm = await b.resolve('zod', { kind: 'import-statement', resolveDir: dirname(args.path) });
      if (esm.errors.length) throw new Error(`cannot resolve zod: ${esm.errors[0].text}`);
      const reexport = "export { z } from 'zod';";
      if (!source.includes(reexport)) throw new Error(`${args.path}: expected ${reexport}`);
      const lazy = [
        // Kept once loaded: each require() of an ES module here builds a fresh exports object.
        "let loaded: typeof import('zod').z | undefined;",
        `const zod = (): typeof import('zod').z => (loaded ??= require(${JSON.stringify(esm.path)}).z);`,
        'export const z = new Proxy({} as typeof import(\'zod\').z, {',
        '  get: (_, key) => Reflect.get(zod(), key),',
        '  has: (_, key) => Reflect.has(zod(), key),',
        '  ownKeys: () => Reflect.ownKeys(zod()),',
        '  getOwnPropertyDescriptor: (_, key) => ({ ...Reflect.getOwnPropertyDescriptor(zod(), key), configurable: true }),',
        '});',
      ].join('\n');
      return { contents: source.replace(reexport, lazy), loader: 'ts', resolveDir: dirname(args.path) };
    });
  },
};

// cli-table3 measures every cell with string-width; in the bundle it gets the same
// function answering printable ASCII by its length first (src/output/string-width.ts).
const stringWidthAsciiFirst = {
  name: 'accelctl-string-width-ascii-first',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (!/[\\/]cli-table3[\\/]/.test(args.importer)) return undefined;
      // The string-width cli-table3 itself would get, wherever npm put it.
      const real = await b.resolve('string-width', { kind: 'require-call', resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length) throw new Error(`cannot resolve string-width for cli-table3: ${real.errors[0].text}`);
      return { path: 'string-width-ascii-first', namespace: 'accelctl-string-width', pluginData: real.path };
    });
    b.onLoad({ filter: /^string-width-ascii-first$/, namespace: 'accelctl-string-width' }, (args) => ({
      loader: 'js',
      resolveDir: root,
      contents: `module.exports = require('./src/output/string-width.ts').asciiFirst(require(${JSON.stringify(args.pluginData)}));`,
    }));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Dependencies are bundled too (except koffi, a native module): resolving and
  // compiling ~120 separate files of node_modules costs more start-up time than all
  // of accelctl's own code.
  external: ['koffi'],
  // Less text to parse; names stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  alias: { 'accelctl/sdk': './src/sdk/index.ts' },
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [zodEnglishOnly, commanderLazyChildProcess, stringWidthAsciiFirst],
  define: { __ACCELCTL_VERSION__: JSON.stringify(version) },
};

rmSync(`${root}/dist`, { recursive: true, force: true });

// Both CommonJS: Node 20 caches compiled code only for scripts, not ES modules, and
// a CommonJS main script also spares the start of Node's ES module loader.
// import.meta.url (used to find plugins and templates) becomes the script's URL.
const script = {
  ...common,
  outExtension: { '.js': '.cjs' },
  outdir: 'dist',
  format: 'cjs',
  define: { ...common.define, 'import.meta.url': '__accelctl_import_meta_url' },
  plugins: [...common.plugins, sdkLazyZod],
  // "use strict" first: the sources are ES modules (strict), and esbuild's own
  // directive would come after this banner, where it is no directive at all.
  banner: { js: "'use strict'; var __accelctl_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
};
// The front door (bin/accelctl requires it): a bare --version, else load the CLI.
await build({ ...script, entryPoints: { accelctl: 'src/cli/entry.ts' } });
// The loader on its own, for scripts/code-cache.mjs.
await build({ ...common, entryPoints: { 'load-cli': 'src/cli/load-cli.ts' }, outdir: 'dist', format: 'esm' });
// The CLI: one script, so that V8 can cache its compiled code. import() of bundled
// modules becomes lazy initialisation inside the script: commands, plugins and
// heavy modules still run only when used.
// Its first line names the build (a hash of the bundle): the code cache of another
// build of the same length must not be taken for this one (src/cli/load-cli.ts).
const UNNAMED = `/* accelctl-build ${'0'.repeat(64)} */`;
// It is the body of a CommonJS module already wrapped in its function, as Node's
// loader would wrap it: load-cli.ts compiles the file's text as it is (no second
// megabyte-sized string for the wrapped copy).
await build({
  ...script,
  entryPoints: { cli: 'src/cli/main.ts' },
  banner: { js: `${UNNAMED}\n(function (exports, require, module, __filename, __dirname) {${script.banner.js}` },
  footer: { js: '\n})' },
});
const cli = readFileSync(`${root}/dist/cli.cjs`, 'utf8');
// load-cli.ts reads it as latin1 (no UTF-8 decoding at every start): esbuild's default ASCII output.
if (/[^\x00-\x7f]/.test(cli)) throw new Error('dist/cli.cjs is not ASCII: load-cli.ts reads it as latin1');
// A cached script loses Node's dynamic-import hook: import() of anything not bundled
// must go through importExternal (src/core/external-import.ts), whose own fallback
// `import(specifier)` is the only one allowed to remain.
// (esbuild prints code strings in double quotes; single-quoted ones are text, e.g. templates.)
const strayImports = [...cli.matchAll(/(?<![\w$.])import\((?!')([^)]{0,60})/g)].filter((m) => m[1] !== 'specifier');
if (strayImports.length) {
  throw new Error(`dist/cli.cjs calls import() directly (${strayImports.map((m) => `import(${m[1]}`).join(', ')}): use importExternal() from src/core/external-import.ts`);
}
writeFileSync(`${root}/dist/cli.cjs`, cli.replace(UNNAMED, `/* accelctl-build ${createHash('sha256').update(cli).digest('hex')} */`));

// accelctl/sdk for plugins outside the CLI process, and the man page renderer.
await build({
  ...common,
  entryPoints: { 'sdk-standalone': 'src/sdk/index.ts', manpages: 'src/cli/manpages.ts' },
  outdir: 'dist',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies (commander, cli-table3, …) call require() for Node built-ins.
  banner: { js: "import { createRequire as __accelctlCreateRequire } from 'node:module'; const require = __accelctlCreateRequire(import.meta.url);" },
});

// accelctl/sdk itself: the SDK instance of the accelctl process that loads the plugin
// (src/core/plugins.ts shares it), so errors, errno objects and schemas are the
// classes the CLI checks; a standalone copy when no accelctl is running.
const sdkNames = Object.keys(await import(pathToFileURL(`${root}/dist/sdk-standalone.js`).href)).sort();
writeFileSync(
  `${root}/dist/sdk.js`,
  [
    '// accelctl/sdk: generated by scripts/build.mjs.',
    // The key is SHARED_SDK_KEY of src/core/plugins.ts (test/cli/sdk-facade.test.ts holds them together).
    "const sdk = globalThis[Symbol.for('accelctl.sdk/v1')] ?? (await import('./sdk-standalone.js'));",
    `export const { ${sdkNames.join(', ')} } = sdk;`,
    '',
  ].join('\n'),
);

// Compiled code for dist/cli.cjs, made by running typical commands once. Their output
// is written to descriptor 1 directly (src/output/stdout.ts): discard it there.
execFileSync(process.execPath, [`${root}/scripts/code-cache.mjs`], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

// Type declarations of accelctl/sdk, for plugin authors writing TypeScript.
execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.sdk.json'], { cwd: root, stdio: 'inherit' });

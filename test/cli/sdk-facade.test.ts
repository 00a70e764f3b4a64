/**
 * dist/sdk.js, what `import … from 'accelctl/sdk'` gives an out-of-tree plugin: the
 * SDK of the accelctl process that loads the plugin, found under SHARED_SDK_KEY
 * (scripts/build.mjs writes the key into the facade; src/core/plugins.ts lends the
 * SDK under it), so a plugin's AccelError is the class the CLI checks. Outside
 * accelctl it falls back to dist/sdk-standalone.js. npm test builds dist first.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SHARED_SDK_KEY } from '../../src/core/plugins';

const facade = pathToFileURL(join(__dirname, '../../dist/sdk.js')).href;
const shared = globalThis as Record<symbol, unknown>;
let fresh = 0;
/** The facade evaluated anew (each distinct URL is a new module instance). */
const load = () => import(`${facade}?instance=${++fresh}`) as Promise<Record<string, unknown>>;

afterEach(() => {
  delete shared[SHARED_SDK_KEY];
});

describe('accelctl/sdk facade (dist/sdk.js)', () => {
  it('re-exports the SDK lent under SHARED_SDK_KEY by the running accelctl', async () => {
    const standalone = await load();
    const lent = Object.fromEntries(Object.keys(standalone).map((name) => [name, { lent: name }]));
    shared[SHARED_SDK_KEY] = lent;
    const sdk = await load();
    expect(Object.keys(sdk).sort()).toEqual(Object.keys(standalone).sort());
    expect(sdk.AccelError).toBe(lent.AccelError);
    expect(sdk.defineStruct).toBe(lent.defineStruct);
  });

  it('without a running accelctl, gives the standalone SDK', async () => {
    const sdk = await load();
    expect(typeof sdk.defineStruct).toBe('function');
    expect(new (sdk.AccelError as new (code: string, message: string) => Error)('ACCELCTL_E_USAGE', 'x')).toBeInstanceOf(Error);
  });
});

/**
 * src/output/string-width.ts: what cli-table3 gets in the bundle measures every
 * text exactly as string-width does (fast-check, fixed seed), and for printable
 * ASCII it never reaches string-width.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiFirst } from '../../src/output/string-width';

// The string-width cli-table3 itself requires (scripts/build.mjs resolves it the same way).
const fromCliTable = createRequire(createRequire(import.meta.url).resolve('cli-table3'));
const stringWidth = fromCliTable('string-width') as (text: string) => number;

describe('asciiFirst(string-width)', () => {
  const width = asciiFirst(stringWidth);

  it('measures any text as string-width does', () => {
    const ansi = fc.constantFrom('\u001b[31m', '\u001b[0m', '\u001b[1;4m', '\u001b]8;;x\u0007');
    const emoji = fc.constantFrom('😀', '👍🏽', '#️⃣', '🇩🇪', '\u200d', '\ufe0f', '\u20e3');
    const wide = fc.constantFrom('中', 'ｶ', '한', 'é', 'e\u0301', '\t', '\u007f', '\u0085', '…');
    const text = fc.array(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), ansi, emoji, wide), { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (t) => width(t) === stringWidth(t)),
      { seed: 23, numRuns: 2000 },
    );
  });

  it('answers printable ASCII by its length, without string-width', () => {
    let calls = 0;
    const counted = asciiFirst((t) => (calls++, stringWidth(t)));
    expect(counted('fwctl0    mlx5    28.39.1002')).toBe(28);
    expect(counted('')).toBe(0);
    // cli-table3's truncation mark, alone and at the end of a cut cell.
    expect(counted('…')).toBe(1);
    expect(counted('ConnectX-7 (MT_00…')).toBe(18);
    expect(calls).toBe(0);
    expect(counted('\u001b[1mbold\u001b[22m')).toBe(4);
    expect(counted('ünïcode')).toBe(7);
    expect(calls).toBe(2);
  });
});

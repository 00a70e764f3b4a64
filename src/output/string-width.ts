/**
 * string-width for cli-table3, printable ASCII first. cli-table3 measures every
 * cell several times with string-width, which strips ANSI codes and runs
 * emoji-regex's ~10 KB pattern over the text each time (the pattern compiled on
 * first use). For printable ASCII — nearly everything in accelctl's tables — the
 * width is the length, and any other text still goes to string-width. In the
 * bundle, scripts/build.mjs gives cli-table3 `asciiFirst(require('string-width'))`
 * in place of string-width: `list` ran 254e6 → 248e6 instructions (callgrind).
 */
// Printable ASCII, and '…' (width 1), the mark cli-table3 ends a truncated cell
// with: it measures the mark at every truncation, and on its own the mark would
// compile emoji-regex's pattern for a table of plain ASCII.
const ONE_COLUMN_EACH = /^[\x20-\x7e\u2026]*$/;

export function asciiFirst(stringWidth: (text: string) => number): (text: string) => number {
  return (text) => (typeof text === 'string' && ONE_COLUMN_EACH.test(text) ? text.length : stringWidth(text));
}

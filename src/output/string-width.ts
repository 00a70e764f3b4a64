/**
 * string-width for cli-table3, printable ASCII first. cli-table3 measures every
 * cell several times with string-width, which strips ANSI codes and runs
 * emoji-regex's ~10 KB pattern over the text each time (the pattern compiled on
 * first use). For printable ASCII — nearly everything in accelctl's tables — the
 * width is the length, and any other text still goes to string-width. In the
 * bundle, scripts/build.mjs gives cli-table3 `asciiFirst(require('string-width'))`
 * in place of string-width: `list` ran 254e6 → 248e6 instructions (callgrind).
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function asciiFirst(stringWidth: (text: string) => number): (text: string) => number {
  return (text) => (typeof text === 'string' && PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text));
}

/**
 * Text rendering of views: aligned key/value blocks and cli-table3 tables, colour
 * only when the terminal wants it (chalk, off under NO_COLOR or --no-color).
 */
import Table from 'cli-table3';
import type { Cell, View } from '../sdk/view';

/** The styles text output uses. */
interface Style {
  bold(text: string): string;
  underline(text: string): string;
  yellow(text: string): string;
}
const plain: Style = { bold: (t) => t, underline: (t) => t, yellow: (t) => t };
let style: Style = plain;

/**
 * Colour on or off. chalk is loaded only for colour: it asks node:tty about the
 * terminal when it loads, and node:tty brings Node's net and stream modules
 * (~9e6 instructions) — what a pipe or a file never needs.
 */
export async function setColor(enabled: boolean): Promise<void> {
  if (!enabled) {
    style = plain;
    return;
  }
  const { default: chalk } = await import('chalk');
  chalk.level ||= 1;
  style = chalk;
}

export function formatCell(value: Cell): string {
  if (value === undefined || value === null || value === '') return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function renderFields(title: string | undefined, entries: readonly (readonly [string, Cell])[]): string {
  const width = Math.max(0, ...entries.map(([label]) => label.length));
  const lines = entries.map(([label, value]) => `${style.bold(label.padEnd(width))}  ${formatCell(value)}`);
  return [title ? style.underline(title) : undefined, ...lines].filter((l) => l !== undefined).join('\n');
}

function renderTable(title: string | undefined, columns: readonly string[], rows: readonly (readonly Cell[])[], empty?: string): string {
  if (rows.length === 0) return [title ? style.underline(title) : undefined, empty ?? '(none)'].filter(Boolean).join('\n');
  const table = new Table({
    head: columns.map((c) => style.bold(c)),
    style: { head: [], border: [], compact: true },
    chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
  });
  for (const row of rows) table.push(row.map(formatCell));
  const body = table
    .toString()
    .split('\n')
    .map((line) => line.replace(/^ /, '').trimEnd())
    .join('\n');
  return [title ? style.underline(title) : undefined, body].filter(Boolean).join('\n');
}

export function renderViews(views: readonly View[]): string {
  const blocks = views.map((view) => {
    switch (view.kind) {
      case 'fields':
        return renderFields(view.title, view.fields);
      case 'table':
        return renderTable(view.title, view.columns, view.rows, view.empty);
      case 'note':
        return view.tone === 'warn' ? view.text.split('\n').map((line) => style.yellow(`warning: ${line}`)).join('\n') : view.text;
    }
  });
  return `${blocks.join('\n\n')}\n`;
}

export function warnText(text: string): string {
  return style.yellow(text);
}

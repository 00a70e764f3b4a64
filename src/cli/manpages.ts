/**
 * Man pages generated from the command definitions themselves (the commander
 * tree, with every plugin loaded), so documentation cannot drift from the code.
 * `npm run man` writes them to man/; CI checks the committed pages are current.
 */
import type { Command, Option } from 'commander';
import { buildProgram, VERSION } from './program';

const SECTION = '8';
/** Bumped with each release; a fixed date keeps `npm run man` reproducible. */
const DATE = '2026-11-23';
const WIDTH = 68;

/** Fill text to lines of at most WIDTH bytes (mandoc's lint wants ≤ 80). */
function fill(text: string): string {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      if (line && line.length + 1 + word.length > WIDTH) {
        out.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(line);
  }
  return out.join('\n');
}

/** Escape text for roff: backslashes, leading control characters, and hyphens as minus. */
export function roff(text: string): string {
  return fill(text)
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

function header(name: string, summary: string): string[] {
  return [`.TH ${name.toUpperCase()} ${SECTION} ${DATE} "accelctl ${VERSION}" "System Manager's Manual"`, '.SH NAME', `${roff(name)} \\-`, roff(summary)];
}

function optionLines(options: readonly Option[]): string[] {
  const lines: string[] = [];
  for (const option of options) {
    if (option.hidden) continue;
    lines.push('.TP', `.B ${roff(option.flags)}`, roff(option.description + (option.argChoices ? ` (one of: ${option.argChoices.join(', ')})` : '') + (option.defaultValue !== undefined && option.defaultValue !== false ? ` [default: ${String(option.defaultValue)}]` : '')));
  }
  return lines;
}

/** A piece of a command's after-help text: a paragraph, or indented lines kept as they are. */
type HelpBlock = { prose: string } | { literal: string[] };

/**
 * What `--help` prints after a command's own help (commander's addHelpText
 * 'after'), for the man page to say the same: its paragraphs and indented lines in
 * order, and apart from them the `$ …` lines of an "Examples:" block.
 */
export function helpAfter(command: Command): { notes: HelpBlock[]; examples: string[] } {
  let text = '';
  // Commander's Command is the EventEmitter its help texts hang on; its typings leave that out.
  (command as unknown as NodeJS.EventEmitter).emit('afterHelp', { error: false, command, write: (chunk: string) => void (text += chunk) });
  const notes: HelpBlock[] = [];
  const examples: string[] = [];
  let inExamples = false;
  const last = () => notes[notes.length - 1];
  for (const line of text.split('\n')) {
    const indented = /^\s+(\S.*)$/.exec(line);
    if (indented && inExamples) {
      examples.push(indented[1]!.replace(/^\$ /, ''));
    } else if (indented) {
      const block = last();
      if (block && 'literal' in block) block.literal.push(indented[1]!);
      else notes.push({ literal: [indented[1]!] });
    } else if (line.trim() === '') {
      inExamples = false;
      notes.push({ prose: '' }); // a paragraph break; empty ones are dropped below
    } else {
      const heading = /^(.*?)\s*Examples:\s*$/.exec(line);
      const words = heading ? heading[1]! : line.trim();
      inExamples = Boolean(heading);
      const block = last();
      if (words && block && 'prose' in block) block.prose = `${block.prose} ${words}`.trim();
      else if (words) notes.push({ prose: words });
    }
  }
  return { notes: notes.filter((b) => ('prose' in b ? b.prose !== '' : b.literal.length > 0)), examples };
}

/** helpAfter()'s notes as roff: a .PP per paragraph, indented lines in an example block. */
function notesLines(notes: readonly HelpBlock[]): string[] {
  return notes.flatMap((block) => ('prose' in block ? ['.PP', roff(block.prose)] : exampleLines(block.literal)));
}

function exampleLines(lines: readonly string[]): string[] {
  return lines.length ? ['.EX', ...lines.map((line) => roffLiteral(line)), '.EE'] : [];
}

/** One line of an example block: escaped, never filled. */
function roffLiteral(line: string): string {
  const escaped = line.replace(/\\/g, '\\e').replace(/-/g, '\\-');
  return /^[.']/.test(escaped) ? `\\&${escaped}` : escaped;
}

function usageOf(command: Command, prefix: string): string {
  return `${prefix} ${command.name()} ${command.usage()}`.trim();
}

function commandSection(command: Command, prefix: string): string[] {
  const lines = ['.SS ' + roff(`${prefix} ${command.name()}`.trim()), roff(command.description() || command.summary())];
  lines.push('.PP', '.B ' + roff(usageOf(command, prefix)));
  const args = command.registeredArguments;
  if (args.length) {
    lines.push('.PP', 'Arguments:');
    for (const arg of args) lines.push('.TP', `.I ${roff(arg.name())}`, roff(arg.description || ''));
  }
  const options = command.options as readonly Option[];
  if (options.length) lines.push('.PP', 'Options:', ...optionLines(options));
  const { notes, examples } = helpAfter(command);
  lines.push(...notesLines(notes));
  if (examples.length) lines.push('.PP', 'Examples:', ...exampleLines(examples.map((e) => `$ ${e}`)));
  return lines;
}

const EXIT_STATUS = [
  ['0', 'ok'],
  ['1', 'the operation failed (device or firmware error, malformed reply)'],
  ['2', 'usage error (bad arguments, bad hex)'],
  ['3', 'device not found, or gone'],
  ['4', 'refused by policy: needs --yes, --allow-mutate, privilege, or the RPC cannot be classified'],
  ['5', 'timed out'],
  ['6', 'accelctl health: a health reporter is in error'],
];

function mainPage(program: Command, pluginNames: string[]): string[] {
  const lines = [
    ...header('accelctl', 'manage Linux fwctl devices: NICs, DPUs, CXL memory and accelerators'),
    '.SH SYNOPSIS',
    '.B accelctl',
    '[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIarguments\\fR]',
    '.SH DESCRIPTION',
    roff('accelctl is one userspace for every device that exposes firmware RPCs through the Linux fwctl subsystem (/dev/fwctl/fwctlN). A shared umbrella discovers devices, classifies every RPC before it is sent, enforces what each class may do, and renders text or JSON; vendor plugins marshal the firmware messages. Without hardware, --sim selects simulated devices that follow the same kernel rules.'),
    '.SH GLOBAL OPTIONS',
    '.TP',
    '.B \\-V, \\-\\-version',
    roff('print the accelctl version (before any command)'),
    ...optionLines(program.options as readonly Option[]),
    '.SH COMMANDS',
  ];
  for (const command of program.commands) {
    lines.push('.TP', `.B ${roff(command.name())}`, roff(command.summary() || command.description()), roff(`See accelctl-${command.name()}(8).`));
  }
  lines.push(
    '.SH CLASSES AND SAFETY',
    roff('Every RPC is classified by its plugin, with the same rules as the kernel driver, before it is sent:'),
    '.TP',
    '.B inspect',
    roff('reads and changes nothing; sent at the minimum scope the driver accepts (configuration or debug_read_only); no gate.'),
    '.TP',
    '.B configure',
    roff('changes supported configuration; sent at the configuration scope; needs --yes, or a yes at the prompt on a terminal.'),
    '.TP',
    '.B mutate-debug',
    roff('invasive debugging; sent at debug_write or debug_write_full, which taint the kernel (TAINT_FWCTL); needs --allow-mutate, and debug_write_full also CAP_SYS_RAWIO.'),
    '.PP',
    roff('A request the plugin cannot classify is never sent. --dry-run shows the class, scope and bytes of the first RPC a command would send. accelctl commands lists every command and RPC kind with its class and scope.'),
    '.SH DEVICE SELECTORS',
    roff('fwctl0, /dev/fwctl/fwctl0, a PCI address (0000:3b:00.0 or 3b:00.0), or a serial number.'),
    '.SH OUTPUT',
    roff('Text by default; -o json prints one JSON document with "schema_version": 1 and snake_case keys. In JSON mode errors are printed on stderr as {"schema_version":1,"error":{"code","message","hint"}} and nothing prompts. Colour is used only on a terminal, never with NO_COLOR.'),
    '.SH EXIT STATUS',
  );
  for (const [code, text] of EXIT_STATUS) lines.push('.TP', `.B ${code}`, roff(text!));
  lines.push(
    '.SH ENVIRONMENT',
    '.TP',
    '.B ACCELCTL_SIM_DIR',
    roff('use the simulated fleet in this directory (implies --sim).'),
    '.TP',
    '.B ACCELCTL_ROOT',
    roff('prefix for /sys, /dev and /proc when looking for real devices.'),
    '.TP',
    '.B ACCELCTL_DROP_RAWIO',
    roff('when 1, behave as a process without CAP_SYS_RAWIO.'),
    '.TP',
    '.B ACCELCTL_LOCK_DIR',
    roff('where the per-device locks around configuration writes and firmware flashes live (default: the temporary directory).'),
    '.TP',
    '.B ACCELCTL_PLUGIN_PATH',
    roff('directories with out-of-tree plugin packages (see accelctl-plugins(7)).'),
    '.TP',
    '.B ACCELCTL_V8_DEFAULT_TIERING',
    roff("when 1, leave V8's optimisation budget at its default. Under Node 20, accelctl dump raises it, so that a dump of many devices does not spend its CPU and memory compiling code it is about to stop running."),
    '.TP',
    '.B NO_COLOR',
    roff('disable colour.'),
    '.TP',
    '.B XDG_STATE_HOME',
    roff('the default simulated fleet lives in $XDG_STATE_HOME/accelctl/sim (~/.local/state/accelctl/sim).'),
    '.SH FILES',
    '.TP',
    '.I /dev/fwctl/fwctlN',
    'fwctl device nodes.',
    '.TP',
    '.I /sys/class/fwctl/fwctlN',
    roff('fwctl class devices; device links to the parent PCI function or CXL memdev.'),
    '.TP',
    '.I /proc/sys/kernel/tainted',
    roff('kernel taint; bit 19 is TAINT_FWCTL.'),
    '.SH EXAMPLES',
    '.EX',
    roff('accelctl --sim list\naccelctl --sim info fwctl0 -o json\naccelctl --sim rpc fwctl0 --in 01000000000000010000000000000000 --dry-run\naccelctl sim init ./fleet --fleet mlx5=4'),
    '.EE',
    '.SH SEE ALSO',
    [...program.commands.map((c) => `.BR accelctl\\-${roff(c.name())} (8)`)].join(',\n') || '',
  );
  void pluginNames;
  return lines;
}

function commandPage(command: Command): string[] {
  const name = `accelctl-${command.name()}`;
  const lines = [...header(name, command.summary() || command.description()), '.SH SYNOPSIS'];
  const subs = command.commands;
  if (subs.length) {
    subs.forEach((sub, i) => lines.push(...(i ? ['.PP'] : []), `.B ${roff(usageOf(sub, `accelctl ${command.name()}`))}`));
  } else {
    lines.push(`.B ${roff(usageOf(command, 'accelctl'))}`);
  }
  lines.push('.SH DESCRIPTION', roff(command.description()));
  if (subs.length) {
    lines.push('.SH COMMANDS');
    for (const sub of subs) lines.push(...commandSection(sub, `accelctl ${command.name()}`));
  } else {
    const args = command.registeredArguments;
    if (args.length) {
      lines.push('.SH ARGUMENTS');
      for (const arg of args) lines.push('.TP', `.I ${roff(arg.name())}`, roff(arg.description || ''));
    }
    if (command.options.length) lines.push('.SH OPTIONS', ...optionLines(command.options as readonly Option[]));
  }
  const { notes, examples } = helpAfter(command);
  // A section starts a paragraph itself (mandoc: "PP after SH").
  if (notes.length) lines.push('.SH NOTES', ...notesLines(notes).filter((line, i) => i > 0 || line !== '.PP'));
  if (examples.length) lines.push('.SH EXAMPLES', ...exampleLines(examples.map((e) => `$ ${e}`)));
  lines.push('.SH SEE ALSO', '.BR accelctl (8)');
  return lines;
}

/** Every page: file name → contents. */
export async function renderManPages(): Promise<Record<string, string>> {
  const program = await buildProgram(['--help']);
  const pages: Record<string, string> = {};
  const finish = (lines: string[]) => `${lines.filter((l) => l !== '').join('\n')}\n`;
  pages[`accelctl.${SECTION}`] = finish(mainPage(program, []));
  for (const command of program.commands) pages[`accelctl-${command.name()}.${SECTION}`] = finish(commandPage(command));
  return pages;
}

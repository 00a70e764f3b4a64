/**
 * Entry point and the one top-level error handler: every failure becomes a
 * one-line message (plus hint) on stderr, or a JSON error document in JSON mode,
 * and the exit code of its error code. Stack traces only with --debug.
 */
import { CommanderError } from 'commander';
import { config as zodConfig } from 'zod/v4/core';
import { AccelError, EXIT, exitCodeOf, isAccelError } from '../core/errors';
import { buildProgram, commandWord, VERSION } from './program';
import { writeStdout } from '../output/stdout';

// Every zod parse in one CLI run is a cold one: the parsers zod generates with
// new Function cost more to compile than they save here.
zodConfig({ jitless: true });

interface ErrorReport {
  code: string;
  message: string;
  hint?: string | undefined;
  exit: number;
}

function fromCommander(error: CommanderError): ErrorReport | undefined {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return undefined;
  return { code: 'ACCELCTL_E_USAGE', message: error.message.replace(/^error: /, ''), hint: "see 'accelctl --help'", exit: EXIT.usage };
}

function toReport(error: unknown): ErrorReport | undefined {
  if (error instanceof CommanderError) return fromCommander(error);
  if (isAccelError(error)) return { code: error.code, message: error.message, hint: error.hint, exit: exitCodeOf(error) };
  return {
    code: 'ACCELCTL_E_INTERNAL',
    message: `internal error: ${error instanceof Error ? error.message : String(error)}`,
    hint: 're-run with --debug and report it',
    exit: EXIT.failed,
  };
}

function wantsJson(args: readonly string[]): boolean {
  return args.some((a, i) => a === '--json' || a === '--output=json' || a === '-ojson' || ((a === '-o' || a === '--output') && args[i + 1] === 'json'));
}

export async function main(args: readonly string[]): Promise<number> {
  // -V/--version counts only before a command word: `sim fw-image --version V` is that command's own option.
  if (commandWord(args) === undefined && (args.includes('--version') || args.includes('-V'))) {
    writeStdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  try {
    const program = await buildProgram(args);
    await program.parseAsync([...args], { from: 'user' });
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError && (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version')) return EXIT.ok;
    const report = toReport(error);
    if (!report) return EXIT.ok;
    if (wantsJson(args)) {
      process.stderr.write(`${JSON.stringify({ schema_version: 1, error: { code: report.code, message: report.message, hint: report.hint ?? null } })}\n`);
    } else {
      process.stderr.write(`accelctl: ${report.message}\n${report.hint ? `  hint: ${report.hint}\n` : ''}`);
    }
    if (args.includes('--debug') && error instanceof Error && !(error instanceof CommanderError)) {
      process.stderr.write(`${error.stack ?? ''}\n`);
      if (error instanceof AccelError && error.cause instanceof Error) process.stderr.write(`cause: ${error.cause.stack ?? error.cause.message}\n`);
    }
    return report.exit;
  }
}

/**
 * Run bin/accelctl as a user would: a real child process, real argv, real exit
 * code. Tests get stdout, stderr and the code back; nothing is mocked.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/accelctl', import.meta.url));

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface RunOptions {
  /** Simulated fleet directory (passed as ACCELCTL_SIM_DIR). */
  simDir?: string;
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed. */
  input?: string;
  timeoutMs?: number;
}

export function run(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
  delete env.FORCE_COLOR;
  if (options.simDir !== undefined) env.ACCELCTL_SIM_DIR = options.simDir;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Run and parse stdout as the one JSON document accelctl prints with -o json. */
export async function runJson<T = any>(args: readonly string[], options: RunOptions = {}): Promise<{ json: T } & RunResult> {
  const result = await run([...args, '-o', 'json'], options);
  let json: T;
  try {
    json = JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
  return { json, ...result };
}

export function tempDir(prefix = 'accelctl-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A fresh fleet directory path (not yet created: accelctl creates it on first use). */
export function freshSimDir(): string {
  return join(tempDir(), 'fleet');
}

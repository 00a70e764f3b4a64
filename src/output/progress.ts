/**
 * Progress of long work (firmware flash): a bar with bytes, rate and ETA on a
 * terminal (cli-progress), JSON lines in JSON mode, nothing otherwise — so logs
 * and pipes stay clean.
 */
import type { FlashProgress } from '../sdk/capabilities';
import { jsonReplacer } from './json';

export interface ProgressSink {
  update(progress: FlashProgress): void;
  stop(): void;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

export async function createProgress(mode: 'tty' | 'json' | 'quiet', label: string): Promise<ProgressSink> {
  if (mode === 'quiet') return { update: () => undefined, stop: () => undefined };
  if (mode === 'json') {
    return {
      update: (p) => process.stdout.write(`${JSON.stringify({ schema_version: 1, event: 'progress', phase: p.phase, done: p.done, total: p.total }, jsonReplacer)}\n`),
      stop: () => undefined,
    };
  }
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} {phase} [{bar}] {percentage}% {done}/{size} {rate}/s ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let phase = '';
  let startedAt = 0;
  return {
    update(p) {
      if (!started || p.phase !== phase) {
        if (started) bar.stop();
        bar.start(p.total, 0, { phase: p.phase, done: mib(0), size: mib(p.total), rate: mib(0) });
        started = true;
        phase = p.phase;
        startedAt = Date.now();
      }
      const seconds = Math.max(0.001, (Date.now() - startedAt) / 1000);
      bar.update(p.done, { phase: p.phase, done: mib(p.done), size: mib(p.total), rate: mib(p.done / seconds) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/**
 * Progress of long work (firmware flash): a bar with bytes, rate and ETA on a
 * terminal (cli-progress), JSON lines in JSON mode, nothing otherwise — so logs
 * and pipes stay clean.
 *
 * One bar for the whole flash: it tracks the bytes written; the phase label
 * (prepare, write, verify, done) changes in place. Rate and ETA are those of
 * the write phase and read '-' until they mean something.
 */
import type { FlashProgress } from '../sdk/capabilities';
import { jsonReplacer } from './json';
import { writeStdout } from './stdout';

export interface ProgressSink {
  update(progress: FlashProgress): void;
  /** Finish the display; safe to call more than once. */
  stop(): void;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.ceil(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export async function createProgress(mode: 'tty' | 'json' | 'quiet', label: string): Promise<ProgressSink> {
  if (mode === 'quiet') return { update: () => undefined, stop: () => undefined };
  if (mode === 'json') {
    // Every phase change and the last event of each phase; in between at most one event per whole percent.
    let lastPhase = '';
    let lastPercent = -1;
    return {
      update: (p) => {
        const percent = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 100;
        if (p.phase === lastPhase && percent === lastPercent && p.done !== p.total) return;
        lastPhase = p.phase;
        lastPercent = percent;
        writeStdout(`${JSON.stringify({ schema_version: 1, event: 'progress', phase: p.phase, done: p.done, total: p.total }, jsonReplacer)}\n`);
      },
      stop: () => undefined,
    };
  }
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} {phase} [{bar}] {percentage}% {done}/{size} {rate} ETA {eta_text}`,
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
      // Redraw at most every 100 ms; the final state is always drawn by stop().
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let stopped = false;
  let writeStarted = 0;
  let writeBytes = 0;
  let writeSeconds = 0;
  return {
    update(p) {
      if (stopped) return;
      const now = Date.now();
      if (p.phase === 'write') {
        if (writeStarted === 0) writeStarted = now;
        writeBytes = p.done;
        writeSeconds = (now - writeStarted) / 1000;
      }
      const rate = writeSeconds > 0.05 ? writeBytes / writeSeconds : 0;
      const value = p.phase === 'prepare' ? 0 : p.phase === 'write' ? p.done : p.total;
      const eta = p.phase === 'write' && rate > 0 ? duration((p.total - p.done) / rate) : p.phase === 'write' || p.phase === 'prepare' ? '-' : '0s';
      const payload = { phase: p.phase.padEnd(7), done: mib(value), size: mib(p.total), rate: rate > 0 ? `${mib(rate)}/s` : '- MiB/s', eta_text: eta };
      if (!started) {
        bar.start(p.total, value, payload);
        started = true;
      } else {
        if (bar.getTotal() !== p.total) bar.setTotal(p.total);
        bar.update(value, payload);
      }
    },
    stop() {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}

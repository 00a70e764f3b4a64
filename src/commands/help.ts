/**
 * `accelctl help [COMMAND...]`: open the command's man page (accelctl-CMD(8),
 * accelctl(8) without a command) when `man` exists and stdout is a terminal;
 * otherwise print the command's --help. Pages not installed system-wide are
 * read from the package's own man/ directory.
 */
import type { spawnSync as SpawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { AccelError } from '../core/errors';
import { importExternal } from '../core/external-import';
import { stdoutIsTerminal } from '../output/stdout';

function hasMan(spawnSync: typeof SpawnSync): boolean {
  return spawnSync('sh', ['-c', 'command -v man'], { stdio: 'ignore' }).status === 0;
}

/** man/ next to bin/ in this package (a checkout or an npm install). */
function packageManDir(): string | undefined {
  try {
    const dir = join(dirname(realpathSync(process.argv[1] ?? '')), '..', 'man');
    return existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** Show the page with man: the installed one, else the package's copy. True when shown. */
function openManPage(spawnSync: typeof SpawnSync, page: string): boolean {
  const installed = spawnSync('man', ['-w', page], { stdio: 'ignore' });
  if (installed.status === 0) return spawnSync('man', [page], { stdio: 'inherit' }).status === 0;
  const dir = packageManDir();
  const file = dir && join(dir, `${page}.8`);
  if (file && existsSync(file)) return spawnSync('man', ['-l', file], { stdio: 'inherit' }).status === 0;
  return false;
}

export function register(program: Command): void {
  program.helpCommand(false);
  program
    .command('help')
    .description('Show the manual page of a command (its --help when man is missing or stdout is not a terminal)')
    .argument('[command...]', 'the command, e.g. "config" or "mlx5 caps"')
    .action(async (words: string[] | undefined, _options: unknown, self: Command) => {
      const root = self.parent!;
      let target = root;
      for (const word of words ?? []) {
        const sub = target.commands.find((c) => c.name() === word || c.aliases().includes(word));
        if (!sub) {
          throw new AccelError('ACCELCTL_E_USAGE', `no command '${[...(words ?? [])].join(' ')}'`, { hint: `commands: ${root.commands.map((c) => c.name()).join(', ')}` });
        }
        target = sub;
      }
      const top = words?.[0] === undefined ? undefined : root.commands.find((c) => c.name() === words[0]);
      const page = top ? `accelctl-${top.name()}` : 'accelctl';
      if (stdoutIsTerminal()) {
        // Loaded here, not at start-up: only this command starts other programs.
        const { spawnSync } = await importExternal<typeof import('node:child_process')>('node:child_process');
        if (hasMan(spawnSync) && openManPage(spawnSync, page)) return;
      }
      target.outputHelp();
    });
}

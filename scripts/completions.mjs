// Regenerate contrib/completions/ (shell completion scripts for packagers) with the
// built CLI: `npm run completions` (it builds first). test/e2e/completion.test.ts
// checks the committed scripts are current.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const COMPLETION_FILES = { bash: 'accelctl', zsh: '_accelctl', fish: 'accelctl.fish' };

const dir = fileURLToPath(new URL('../contrib/completions/', import.meta.url));
const bin = fileURLToPath(new URL('../bin/accelctl', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const [shell, file] of Object.entries(COMPLETION_FILES)) {
  // Built-in plugins only: an npm-installed plugin on this machine must not leak in.
  const text = execFileSync(process.execPath, [bin, 'completion', shell], { encoding: 'utf8', env: { ...process.env, ACCELCTL_PLUGIN_PATH: '' } });
  writeFileSync(`${dir}${file}`, text);
}
console.log(`wrote ${Object.keys(COMPLETION_FILES).length} completion scripts to contrib/completions/`);

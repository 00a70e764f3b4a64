// Regenerate man/ from the command definitions (run `npm run build` first; `npm run man` does).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../man/', import.meta.url));
const { renderManPages } = await import('../dist/manpages.js');
const pages = await renderManPages();
mkdirSync(dir, { recursive: true });
for (const file of readdirSync(dir)) if (/^accelctl.*\.8$/.test(file) && !(file in pages)) rmSync(`${dir}${file}`);
for (const [file, text] of Object.entries(pages)) writeFileSync(`${dir}${file}`, text);
console.log(`wrote ${Object.keys(pages).length} man pages to man/`);

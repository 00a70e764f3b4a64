// Preload for the "what does fsync cost" comparison runs of bench/run.mjs only:
// turns fs.fsyncSync into a no-op in the child (write-temp + rename stay, so a
// killed process still leaves a whole file; only host-crash durability is given up).
const fs = require('node:fs');
fs.fsyncSync = () => undefined;
require('node:module').syncBuiltinESMExports();

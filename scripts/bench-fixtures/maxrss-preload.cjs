// Fallback for scripts/bench.js when GNU time is missing: preloaded with `node -r`, it writes this process's
// peak RSS (KiB, from getrusage's ru_maxrss) to $BENCH_MAXRSS_FILE when the process exits.
'use strict';
const { writeFileSync } = require('node:fs');
const file = process.env.BENCH_MAXRSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, `${process.resourceUsage().maxRSS}\n`));

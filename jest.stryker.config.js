/**
 * Jest config for `npm run mutate` (stryker.config.mjs): the suites that run the core in process, compiled to
 * CommonJS under dist-cjs/ and run as one test file (scripts/build-cjs.js says why). Suites that spawn the bin or
 * git for a case (doors, e2e, rerun, safety, schema, monitoring-settings, apply.kinds, ...) are out of the mutation
 * scope (issue 14): too slow to run per mutant, and a spawned bin cannot report which test covered a mutant.
 *
 * `CNPG_MUTATE_SUITES=yaml-scalar.kinds,labels.kinds npm run mutate -- --mutate src/core/yaml-scalar.ts` runs only
 * the named suites, for a quick run on one module. A mutant only those suites miss counts as survived, so such a
 * score is a lower bound of the full run's.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const IN_PROCESS_SUITES = ['answers', 'plan.golden', 'prepare', 'upgrade', 'promql', 'yaml-patch', 'yaml-patch.property'];

/**
 * The order the suites run in under mutation. A mutant run stops at its first failing test
 * (scripts/stryker-bail-env.cjs), so the suites that cost the most per test go last: measured 2026-12-01, the
 * `*.kinds` suites take 0.4-2.8 ms a test, these 3-300 ms (yaml-scalar.kinds renders every template 106 times,
 * yaml-patch.property runs fast-check). A `*.kinds` suite not listed here runs with the cheap ones.
 */
const COSTLY_LAST = ['upgrade', 'plan.kinds', 'answers', 'yaml-patch', 'promql', 'yaml-scalar.kinds', 'plan.golden', 'prepare', 'yaml-patch.property'];

/** The in-process suites and every `*.kinds` suite but apply.kinds (the run lock: apply.ts is out of scope, and it spawns). */
export function mutationSuites() {
  const kinds = readdirSync('test')
    .filter((f) => f.endsWith('.kinds.test.ts') && f !== 'apply.kinds.test.ts')
    .map((f) => f.slice(0, -'.test.ts'.length));
  const all = new Set([...IN_PROCESS_SUITES, ...kinds]);
  const costly = COSTLY_LAST.filter((n) => all.has(n));
  return [...[...all].filter((n) => !costly.includes(n)).sort(), ...costly];
}

export default {
  // A full path: Stryker resolves the environment itself, without jest's <rootDir>.
  testEnvironment: fileURLToPath(new URL('scripts/stryker-bail-env.cjs', import.meta.url)),
  roots: ['<rootDir>/dist-cjs/test'],
  testMatch: ['**/in-process.all.test.js'],
  transform: {},
  testTimeout: 30000,
  // Fewer runs per property while mutating (see the file); npm test keeps the suites' own counts.
  moduleNameMapper: { '^fast-check$': '<rootDir>/scripts/stryker-fast-check.cjs' },
};

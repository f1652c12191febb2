// `npm run mutate` only: the test suites Stryker runs against each mutant (stryker.config.mjs), in the order they
// run. They are the suites that run the core in process, compiled to CommonJS under dist-cjs/test
// (scripts/build-cjs.js). Suites that spawn the bin or git for a case (doors, e2e, rerun, safety, schema,
// monitoring-settings, apply.kinds, ...) are out of the mutation scope (issue 14): too slow to run per mutant, and a
// spawned bin cannot report which test covered a mutant.
import { readdirSync } from 'node:fs';

export const IN_PROCESS_SUITES = ['answers', 'plan.golden', 'prepare', 'upgrade', 'promql', 'yaml-patch', 'yaml-patch.property'];

/**
 * A mutant run stops at its first failing test, so the suites that cost the most per test go last: measured
 * 2026-12-01, the `*.kinds` suites take 0.4-2.8 ms a test, these 3-300 ms (yaml-scalar.kinds renders every template
 * 106 times, yaml-patch.property runs fast-check). A `*.kinds` suite not listed here runs with the cheap ones.
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

/**
 * The suites' compiled files, in order. `CNPG_MUTATE_SUITES=yaml-scalar.kinds,labels.kinds` keeps only those, for a
 * quick run on one module: a mutant only those suites miss counts as survived, so such a score is a lower bound.
 */
export function mutationSpecs(env = process.env) {
  const only = (env.CNPG_MUTATE_SUITES ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const all = mutationSuites();
  const unknown = only.filter((s) => !all.includes(s));
  if (unknown.length > 0) throw new Error(`CNPG_MUTATE_SUITES: no such in-process suite: ${unknown.join(', ')}`);
  return (only.length > 0 ? all.filter((s) => only.includes(s)) : all).map((s) => `dist-cjs/test/${s}.test.js`);
}

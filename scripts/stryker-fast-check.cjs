// `npm run mutate` only (scripts/build-cjs.js points the suites' `require('fast-check')` here): the property suites
// ask for up to 1000 runs per property, which costs ~8 s per mutant; under mutation testing each property runs at
// most CNPG_MUTATE_NUM_RUNS times (default 100, same seeds). `npm test` always runs the full counts.
const fc = require('fast-check');

const MAX = Number(process.env.CNPG_MUTATE_NUM_RUNS ?? 100);

module.exports = {
  ...fc,
  assert: (property, params = {}) => fc.assert(property, { ...params, numRuns: Math.min(params.numRuns ?? 100, MAX) }),
};

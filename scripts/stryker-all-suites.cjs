// `npm run mutate` only: the one jest test file that runs every in-process suite (scripts/build-cjs.js copies it to
// dist-cjs/test/in-process.all.test.js, beside suites.json, the list and order from jest.stryker.config.js).
// Each suite runs inside a describe named after it, so its hooks stay its own. CNPG_MUTATE_SUITES narrows the list.
const { describe } = require('@jest/globals');
const suites = require('./suites.json');

const only = (process.env.CNPG_MUTATE_SUITES ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
// In a mutant run, Stryker's pattern lists the covering tests as "(<suite> <describe> <test>)|...", regex-escaped
// (scripts/stryker-bail-env.cjs hands it over): a suite none of them is in is not loaded. Otherwise all are.
const pattern = globalThis.__cnpgMutantTestPattern;
const covering = typeof pattern === 'string' ? pattern.replace(/\\(.)/g, '$1') : undefined;
for (const suite of only.length > 0 ? only : suites) {
  if (covering !== undefined && !covering.includes(`(${suite} `)) continue;
  describe(suite, () => {
    require(`./${suite}.test.js`);
  });
}

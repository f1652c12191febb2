// `npm run mutate` only: what the in-process suites import from '@jest/globals', for Stryker's mocha runner
// (scripts/build-cjs.js points their `require('@jest/globals')` here). The suites are written for jest and
// `npm test` runs them with jest; under mutation, mocha loads them once and reruns them per mutant, where jest's
// runner paid ~0.7 s of setup per mutant (stryker.config.mjs says more).
// The matchers are jest's own (the `expect` package) and test.each/describe.each are jest's own (`jest-each`, the
// code jest binds to its globals), so a suite means the same under both. Mocha's BDD globals are looked up at call
// time: mocha sets them for each test file it loads.
const path = require('node:path');
const { expect } = require('expect');
const { bind: each } = require('jest-each');

const ROOT = path.resolve(__dirname, '..');
const COMPILED = path.join(ROOT, 'dist-cjs');

/**
 * A test's file as Stryker should know it: the suite's TypeScript source (test/x.test.ts), not the compiled copy
 * under dist-cjs/ (dist-cjs/test/x.test.js), which is built in the sandbox and is not one of Stryker's input files.
 * Stryker then shows the test's source in the report and sees a changed suite when it reuses results
 * (`incremental`), instead of warning about a file it does not know.
 */
function sourceOf(compiled) {
  const rel = path.relative(COMPILED, compiled);
  return rel.startsWith('..') ? compiled : path.join(ROOT, rel.replace(/\.js$/, '.ts'));
}

const mocha = (name) => (...args) => globalThis[name](...args);

/** A jest global: the mocha function, without jest's per-test timeout argument, and with jest's `.each`. */
function withEach(name) {
  const fn = (title, body) => {
    const made = globalThis[name](title, body);
    if (typeof made?.file === 'string') made.file = sourceOf(made.file);
    return made;
  };
  fn.each = each(fn);
  return fn;
}

const test = withEach('it');
const describe = withEach('describe');

module.exports = {
  expect,
  test,
  it: test,
  describe,
  beforeAll: mocha('before'),
  afterAll: mocha('after'),
  beforeEach: mocha('beforeEach'),
  afterEach: mocha('afterEach'),
};

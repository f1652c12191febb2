#!/bin/sh
# The build Stryker runs once in its sandbox (.stryker-tmp/sandbox-XXXX, mutated sources with all mutants switched
# in) before it tests the mutants: the templates compiled to TypeScript, then sources and in-process suites to
# CommonJS (scripts/build-cjs.js). Stryker runs it before it links node_modules into the sandbox; Node's own module
# lookup walks up to the project's node_modules, so ejs and esbuild resolve.
set -e
node scripts/compile-templates.js
node scripts/build-cjs.js

// Yeoman looks for generators/app/index.js; the generator is compiled from src/generator/index.ts and bundled
// with the core into dist/bin (scripts/bundle.js).
export { default } from '../../dist/bin/generator.js';

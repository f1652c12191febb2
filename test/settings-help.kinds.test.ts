/**
 * Issue 14: the --help text of both doors, exact, as golden files (test/golden/help/<door>.txt). The bin prints
 * helpText('cnpg-operator') (src/cli/main.ts), the Yeoman door helpText('yo cnpg-operator', 'yeoman')
 * (src/generator/index.ts). After an intended change, rewrite them with
 * `UPDATE_GOLDEN=1 npx jest dist/test/settings-help.kinds.test.js` and read the diff.
 */
import { describe, expect, test } from '@jest/globals';
import { helpText } from '../src/core/settings.js';
import { expectGolden } from './helpers/golden.js';


const DOORS: Record<string, () => string> = {
  // Exactly as the bin calls it: no door argument.
  bin: () => helpText('cnpg-operator'),
  yeoman: () => helpText('yo cnpg-operator', 'yeoman'),
};

describe('--help of both doors: golden files', () => {
  test.each(Object.keys(DOORS))('%s', (door) => {
    const text = DOORS[door]();
    expectGolden('help', door, text);
  });

  test('the program name is the one given, in the usage line and every example', () => {
    const text = helpText('my-prog');
    expect(text.split('\n').filter((l) => l.includes('my-prog'))).toEqual([
      'Usage: my-prog [options]',
      '  my-prog                      # interactive: asks each setting, prefilled from flags/stored answers',
      '  my-prog --yes --cluster infra --replicas 2 --chart-version 0.26.1   # bootstrap script',
      "  my-prog --plan --from 0.26.0 --to 0.29.0 --json   # what a chart bump crosses, for a Renovate PR's CI",
    ]);
    expect(text).not.toContain('cnpg-operator [options]');
  });

  test("the bin's help is the bin door's: no --interactive, no Yeoman options", () => {
    expect(helpText('cnpg-operator', 'bin')).toBe(helpText('cnpg-operator'));
    expect(helpText('cnpg-operator')).not.toContain('--interactive');
    expect(helpText('cnpg-operator')).not.toContain('Yeoman');
  });
});

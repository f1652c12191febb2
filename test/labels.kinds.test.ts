/**
 * labels.ts as a user meets it: `--monitoring-labels k=v,...` (a flag or a prompt) and the map stored in .yo-rc.json
 * become one sorted map of valid Kubernetes labels, or one message naming what is wrong. The limits are
 * apimachinery's (a key's prefix a DNS-1123 subdomain of at most 253 characters with labels of at most 63, a name
 * and a value at most 63), checked at the boundary: what Kubernetes accepts is accepted.
 */
import { describe, expect, test } from '@jest/globals';
import { InputError } from '../src/core/errors.js';
import { labelMap, suggestMonitoringLabels } from '../src/core/labels.js';

/** The map, or the refusal as `InputError: <message>`. */
function read(raw: unknown): Record<string, string> | string {
  try {
    return labelMap(raw);
  } catch (e) {
    return `${e instanceof InputError ? 'InputError' : 'other'}: ${(e as Error).message}`;
  }
}
const NAME_RULE = 'the name must be at most 63 characters of a-z, A-Z, 0-9, "-", "_", ".", starting and ending alphanumeric';
const VALUE_RULE = 'must be at most 63 characters of a-z, A-Z, 0-9, "-", "_", ".", starting and ending alphanumeric (or empty)';
const PREFIX_RULE = 'the prefix before "/" must be a DNS-1123 subdomain';

describe('the flag and the prompt: k=v,k2=v2', () => {
  test('spaces around pairs, keys and values are dropped; the keys come out sorted', () => {
    const out = read('  zeta = 1 , alpha=two,  example.com/m=x  ');
    expect(out).toEqual({ alpha: 'two', 'example.com/m': 'x', zeta: '1' });
    expect(Object.keys(out)).toEqual(['alpha', 'example.com/m', 'zeta']);
  });

  test('nothing given is no labels; an empty value is a label with an empty value', () => {
    expect([read(''), read('   ')]).toEqual([{}, {}]);
    expect(read('a=,b=')).toEqual({ a: '', b: '' });
  });

  test('the same pair twice is one label; the same key with two values is refused', () => {
    expect(read('a=1,a=1')).toEqual({ a: '1' });
    expect(read('a=1,b=2,a=3')).toBe('InputError: label "a" is given twice');
  });

  test('a pair without "=" is refused naming it; "=" inside a value is not a label value', () => {
    expect(read('a=1, release ,b=2')).toBe('InputError: "release" is not key=value');
    expect(read('a=1,')).toBe('InputError: "" is not key=value');
    expect(read('a=b=c')).toBe(`InputError: label "a": value "b=c" ${VALUE_RULE}`);
    expect(read('=x')).toBe('InputError: has an empty label key');
  });

  test('anything but a string or a map is refused, naming what it is', () => {
    expect([read(null), read(undefined), read(3), read(true), read(['a=b'])]).toEqual([
      'InputError: expected key=value pairs, got null',
      'InputError: expected key=value pairs, got undefined',
      'InputError: expected key=value pairs, got number',
      'InputError: expected key=value pairs, got boolean',
      'InputError: expected key=value pairs, got a list',
    ]);
  });
});

describe('the map stored in .yo-rc.json', () => {
  test('is checked like the flag and comes out sorted', () => {
    const out = read({ b: 'x', a: '' });
    expect(out).toEqual({ a: '', b: 'x' });
    expect(Object.keys(out)).toEqual(['a', 'b']);
    expect(read({})).toEqual({});
    expect(read({ 'Bad Key': 'x' })).toBe(`InputError: label key "Bad Key": ${NAME_RULE}`);
  });

  test('a value that is not a string is refused, naming its type', () => {
    expect([read({ a: null }), read({ a: 1 }), read({ a: ['x'] }), read({ a: { b: 'c' } }), read({ a: 'ok', b: false })]).toEqual([
      'InputError: label "a": value must be a string, got null',
      'InputError: label "a": value must be a string, got number',
      'InputError: label "a": value must be a string, got object',
      'InputError: label "a": value must be a string, got object',
      'InputError: label "b": value must be a string, got boolean',
    ]);
  });
});

describe('keys and values at the limits Kubernetes sets', () => {
  const label63 = `a${'b'.repeat(61)}c`;
  test('a name and a value of 63 characters are labels; 64 are refused', () => {
    expect(read(`${label63}=${label63}`)).toEqual({ [label63]: label63 });
    expect(read(`${label63}x=v`)).toBe(`InputError: label key "${label63}x": ${NAME_RULE}`);
    expect(read(`k=${label63}x`)).toBe(`InputError: label "k": value "${label63}x" ${VALUE_RULE}`);
  });

  test('names and values start and end alphanumeric and hold only - _ .', () => {
    for (const good of ['a', 'A.b_c-D', '0', 'x9']) expect(read(`${good}=${good}`)).toEqual({ [good]: good });
    for (const bad of ['-a', 'a-', '.a', 'a_', 'a b', 'a/b/c/d', 'é']) {
      expect(read(`k=${bad}`)).toBe(`InputError: label "k": value ${JSON.stringify(bad)} ${VALUE_RULE}`);
    }
    for (const bad of ['-a', 'a-', '_a', 'a.', 'a b', 'é']) expect(read(`${bad}=v`)).toBe(`InputError: label key ${JSON.stringify(bad)}: ${NAME_RULE}`);
  });

  test('a prefix is a DNS subdomain: at most 253 characters, each dot-separated part at most 63', () => {
    const part63 = `p${'q'.repeat(61)}r`;
    const prefix253 = [part63, part63, part63, `s${'t'.repeat(59)}u`].join('.');
    expect(prefix253.length).toBe(253);
    expect(read(`${prefix253}/name=v`)).toEqual({ [`${prefix253}/name`]: 'v' });
    expect(read(`${prefix253}x/name=v`)).toBe(`InputError: label key "${prefix253}x/name": ${PREFIX_RULE}`);
    expect(read(`${part63}.example.com/name=v`)).toEqual({ [`${part63}.example.com/name`]: 'v' });
    // One-character parts, after a dot too (x.y.z).
    expect(read('x.y.z/name=v')).toEqual({ 'x.y.z/name': 'v' });
    expect(read(`${part63}x.example.com/name=v`)).toBe(`InputError: label key "${part63}x.example.com/name": ${PREFIX_RULE}`);
    for (const bad of ['Example.com', 'ex_ample.com', '-a.com', 'a..b', '']) {
      expect(read(`${bad}/name=v`)).toBe(`InputError: label key ${JSON.stringify(`${bad}/name`)}: ${PREFIX_RULE}`);
    }
  });

  test('the name after the last "/" is checked like a key without prefix; two slashes make a bad prefix', () => {
    expect(read(`example.com/${label63}=v`)).toEqual({ [`example.com/${label63}`]: 'v' });
    expect(read(`example.com/${label63}x=v`)).toBe(`InputError: label key "example.com/${label63}x": ${NAME_RULE}`);
    expect(read('example.com/=v')).toBe(`InputError: label key "example.com/": ${NAME_RULE}`);
    expect(read('example.com/a/b=v')).toBe(`InputError: label key "example.com/a/b": ${PREFIX_RULE}`);
  });

  test('the generator\'s own label is refused, with or without the value it has', () => {
    for (const v of ['cloudnative-pg', 'other']) expect(read(`app.kubernetes.io/name=${v}`)).toBe('InputError: label key "app.kubernetes.io/name" is set by the generator');
    expect(read('app.kubernetes.io/part-of=x')).toEqual({ 'app.kubernetes.io/part-of': 'x' });
  });
});

describe('the kube-prometheus-stack suggestion', () => {
  test('release=<its release name>, nothing for no name or a name that is not a label value', () => {
    expect(suggestMonitoringLabels('kps')).toEqual({ release: 'kps' });
    expect([suggestMonitoringLabels(''), suggestMonitoringLabels(undefined), suggestMonitoringLabels('-kps'), suggestMonitoringLabels('x'.repeat(64))]).toEqual([undefined, undefined, undefined, undefined]);
  });
});

/**
 * Issue 14, "hunt for what the planted bugs suggest" in the settings table: every setting's parser at its
 * boundaries (lengths 63/64 and 253/254, 1 and 10 replicas, operator versions in the chart slot, duplicates, empty
 * items, label prefixes), with the exact one-line message a user reads. Each row was read and judged by hand.
 */
import { describe, expect, test } from '@jest/globals';
import { InputError } from '../src/core/errors.js';
import {
  ACTIONS,
  DEFAULT_RUN_OPTIONS,
  type RunOptions,
  type SettingKey,
  appliesIn,
  doorOptions,
  parseSetting,
  runOptionsFrom,
  settingOf,
} from '../src/core/settings.js';
import { compareVersions, describeChart, kubeRequirement, operatorVersionOf, chartsShipping } from '../src/core/versions.js';

type Row = [SettingKey, unknown, { value: unknown } | { error: string }];
const ROWS: Row[] = [["replicas","0",{"error":"--replicas \"0\": must be an integer from 1 to 10"}],
  ["replicas","11",{"error":"--replicas \"11\": must be an integer from 1 to 10"}],
  ["replicas","01",{"value":1}],
  ["replicas"," 3 ",{"value":3}],
  ["replicas",3,{"value":3}],
  ["replicas","3.0",{"error":"--replicas \"3.0\": must be an integer from 1 to 10"}],
  ["replicas","10",{"value":10}],
  ["replicas","1",{"value":1}],
  ["replicas",null,{"error":"--replicas null: expected a string, got null (valid: an integer from 1 to 10)"}],
  ["replicas",true,{"error":"--replicas true: expected a string, got boolean (valid: an integer from 1 to 10)"}],
  ["replicas","",{"error":"--replicas \"\": must be an integer from 1 to 10"}],
  ["chartVersion","1.27.0",{"error":"--chart-version \"1.27.0\": 1.27.0 is an operator version, not a chart version: use chart 0.26.0 (valid: an exact chart version X.Y.Z, e.g. 0.28.1, 0.28.2, 0.28.3, 0.29.0)"}],
  ["chartVersion","1.25.0",{"error":"--chart-version \"1.25.0\": 1.25.0 is an operator version, not a chart version: use chart 0.23.1 (also shipped by 0.23.0) (valid: an exact chart version X.Y.Z, e.g. 0.28.1, 0.28.2, 0.28.3, 0.29.0)"}],
  ["chartVersion","1.29.1",{"error":"--chart-version \"1.29.1\": 1.29.1 is an operator version, not a chart version: use chart 0.28.3 (also shipped by 0.28.2, 0.28.1) (valid: an exact chart version X.Y.Z, e.g. 0.28.1, 0.28.2, 0.28.3, 0.29.0)"}],
  ["chartVersion","v0.26.0",{"error":"--chart-version \"v0.26.0\": must be an exact chart version X.Y.Z (no \"latest\", ranges, \"v\" prefix or partial versions) (valid: an exact chart version X.Y.Z, e.g. 0.28.1, 0.28.2, 0.28.3, 0.29.0)"}],
  ["chartVersion","",{"error":"--chart-version \"\": must not be empty (valid: an exact chart version X.Y.Z, e.g. 0.28.1, 0.28.2, 0.28.3, 0.29.0)"}],
  ["chartVersion","0.26",{"error":"--chart-version \"0.26\": must be an exact chart version X.Y.Z (no \"latest\", ranges, \"v\" prefix or partial versions) (valid: an exact chart version X.Y.Z, e.g. 0.28.1, 0.28.2, 0.28.3, 0.29.0)"}],
  ["chartVersion"," 0.26.1 ",{"value":"0.26.1"}],
  ["chartVersion","0.40.0",{"value":"0.40.0"}],
  ["chartVersion","10.20.30",{"value":"10.20.30"}],
  ["chartVersion","1000.9999.1234",{"value":"1000.9999.1234"}],
  ["chartVersion","0.26.1x",{"error":"--chart-version \"0.26.1x\": must be an exact chart version X.Y.Z (no \"latest\", ranges, \"v\" prefix or partial versions) (valid: an exact chart version X.Y.Z, e.g. 0.28.1, 0.28.2, 0.28.3, 0.29.0)"}],
  ["chartVersion","0.26.1-rc1",{"error":"--chart-version \"0.26.1-rc1\": must be an exact chart version X.Y.Z (no \"latest\", ranges, \"v\" prefix or partial versions) (valid: an exact chart version X.Y.Z, e.g. 0.28.1, 0.28.2, 0.28.3, 0.29.0)"}],
  ["chartVersion","10000.0.0",{"error":"--chart-version \"10000.0.0\": must be an exact chart version X.Y.Z (no \"latest\", ranges, \"v\" prefix or partial versions) (valid: an exact chart version X.Y.Z, e.g. 0.28.1, 0.28.2, 0.28.3, 0.29.0)"}],
  ["chartVersion","01.2.3",{"error":"--chart-version \"01.2.3\": must be an exact chart version X.Y.Z (no \"latest\", ranges, \"v\" prefix or partial versions) (valid: an exact chart version X.Y.Z, e.g. 0.28.1, 0.28.2, 0.28.3, 0.29.0)"}],
  ["namespace","aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",{"value":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}],
  ["namespace","aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",{"error":"--namespace \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": is 64 characters long, at most 63 allowed (valid: a DNS-1123 label, at most 63 characters)"}],
  ["namespace","",{"error":"--namespace \"\": must not be empty (valid: a DNS-1123 label, at most 63 characters)"}],
  ["namespace","A",{"error":"--namespace \"A\": must be a DNS-1123 label (lowercase a-z, 0-9 and \"-\", starting and ending alphanumeric) (valid: a DNS-1123 label, at most 63 characters)"}],
  ["namespace","-a",{"error":"--namespace \"-a\": must be a DNS-1123 label (lowercase a-z, 0-9 and \"-\", starting and ending alphanumeric) (valid: a DNS-1123 label, at most 63 characters)"}],
  ["namespace","a-",{"error":"--namespace \"a-\": must be a DNS-1123 label (lowercase a-z, 0-9 and \"-\", starting and ending alphanumeric) (valid: a DNS-1123 label, at most 63 characters)"}],
  ["namespace","a.b",{"error":"--namespace \"a.b\": must be a DNS-1123 label (lowercase a-z, 0-9 and \"-\", starting and ending alphanumeric) (valid: a DNS-1123 label, at most 63 characters)"}],
  ["namespace","a--b",{"value":"a--b"}],
  ["namespace",7,{"value":"7"}],
  ["cluster","a,,b",{"error":"--cluster \"a,,b\": item 2 (\"\") must not be empty (valid: DNS-1123 labels, comma-separated; each selects kubernetes/clusters/<cluster>/cluster-settings.yaml)"}],
  ["cluster","a,a,b",{"value":["a","b"]}],
  ["cluster"," a , b ",{"value":["a","b"]}],
  ["cluster","",{"error":"--cluster \"\": must not be empty (valid: DNS-1123 labels, comma-separated; each selects kubernetes/clusters/<cluster>/cluster-settings.yaml)"}],
  ["cluster",["x","x"],{"value":["x"]}],
  ["cluster",[],{"error":"--cluster []: must not be empty (valid: DNS-1123 labels, comma-separated; each selects kubernetes/clusters/<cluster>/cluster-settings.yaml)"}],
  ["cluster","a,B",{"error":"--cluster \"a,B\": item 2 (\"B\") must be a DNS-1123 label (lowercase a-z, 0-9 and \"-\", starting and ending alphanumeric) (valid: DNS-1123 labels, comma-separated; each selects kubernetes/clusters/<cluster>/cluster-settings.yaml)"}],
  ["dependsOn","",{"value":[]}],
  ["dependsOn"," ",{"value":[]}],
  ["dependsOn","a.b,c",{"value":["a.b","c"]}],
  ["dependsOn",["x"],{"value":["x"]}],
  ["dependsOn","a..b",{"error":"--depends-on \"a..b\": item 1 (\"a..b\") must be a DNS-1123 subdomain (lowercase a-z, 0-9, \"-\" and \".\", each part starting and ending alphanumeric) (valid: Flux Kustomization names (DNS-1123 subdomains), comma-separated; empty for none)"}],
  ["dependsOn","a.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",{"error":"--depends-on \"a.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\": item 1 (\"a.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\") must be a DNS-1123 subdomain (lowercase a-z, 0-9, \"-\" and \".\", each part starting and ending alphanumeric) (valid: Flux Kustomization names (DNS-1123 subdomains), comma-separated; empty for none)"}],
  ["dependsOn","aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",{"error":"--depends-on \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": item 1 (\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\") must be a DNS-1123 subdomain (lowercase a-z, 0-9, \"-\" and \".\", each part starting and ending alphanumeric) (valid: Flux Kustomization names (DNS-1123 subdomains), comma-separated; empty for none)"}],
  ["dependsOn","aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",{"error":"--depends-on \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": item 1 (\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\") is 254 characters long, at most 253 allowed (valid: Flux Kustomization names (DNS-1123 subdomains), comma-separated; empty for none)"}],
  ["storageClass","aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",{"value":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}],
  ["storageClass","a.-b",{"error":"--storage-class \"a.-b\": must be a DNS-1123 subdomain (lowercase a-z, 0-9, \"-\" and \".\", each part starting and ending alphanumeric) (valid: a DNS-1123 subdomain (a StorageClass name))"}],
  ["storageClass","",{"error":"--storage-class \"\": must not be empty (valid: a DNS-1123 subdomain (a StorageClass name))"}],
  ["dependsOn","a,,b",{"error":"--depends-on \"a,,b\": item 2 (\"\") must not be empty (valid: Flux Kustomization names (DNS-1123 subdomains), comma-separated; empty for none)"}],
  ["storageClass","Fast",{"error":"--storage-class \"Fast\": must be a DNS-1123 subdomain (lowercase a-z, 0-9, \"-\" and \".\", each part starting and ending alphanumeric) (valid: a DNS-1123 subdomain (a StorageClass name))"}],
  ["inplaceUpdates","true",{"value":true}],
  ["inplaceUpdates","false",{"value":false}],
  ["inplaceUpdates",true,{"value":true}],
  ["inplaceUpdates",false,{"value":false}],
  ["inplaceUpdates","yes",{"error":"--inplace-updates \"yes\": must be true or false"}],
  ["inplaceUpdates"," true ",{"value":true}],
  ["inplaceUpdates",null,{"error":"--inplace-updates null: expected a string, got null (valid: true or false)"}],
  ["monitoring","none",{"value":"none"}],
  ["monitoring"," victoria-metrics ",{"value":"victoria-metrics"}],
  ["monitoring","prometheus-operator",{"value":"prometheus-operator"}],
  ["monitoring","prometheus",{"error":"--monitoring \"prometheus\": must be one of victoria-metrics, prometheus-operator, none"}],
  ["monitoring",1,{"error":"--monitoring 1: must be one of victoria-metrics, prometheus-operator, none"}],
  ["monitoringLabels","a=b,c=d",{"value":{"a":"b","c":"d"}}],
  ["monitoringLabels","b=1,a=2",{"value":{"a":"2","b":"1"}}],
  ["monitoringLabels","a",{"error":"--monitoring-labels \"a\": \"a\" is not key=value (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels","a=b,a=c",{"error":"--monitoring-labels \"a=b,a=c\": label \"a\" is given twice (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels","a=b,a=b",{"value":{"a":"b"}}],
  ["monitoringLabels",{"x":"y"},{"value":{"x":"y"}}],
  ["monitoringLabels",{"x":1},{"error":"--monitoring-labels {\"x\":1}: label \"x\": value must be a string, got number (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels",{"x":null},{"error":"--monitoring-labels {\"x\":null}: label \"x\": value must be a string, got null (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels",["a=b"],{"error":"--monitoring-labels [\"a=b\"]: expected key=value pairs, got a list (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels",null,{"error":"--monitoring-labels null: expected key=value pairs, got null (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels",5,{"error":"--monitoring-labels 5: expected key=value pairs, got number (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels","app.kubernetes.io/name=x",{"error":"--monitoring-labels \"app.kubernetes.io/name=x\": label key \"app.kubernetes.io/name\" is set by the generator (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels","Example.com/a=b",{"error":"--monitoring-labels \"Example.com/a=b\": label key \"Example.com/a\": the prefix before \"/\" must be a DNS-1123 subdomain (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels","a/b/c=d",{"error":"--monitoring-labels \"a/b/c=d\": label key \"a/b/c\": the prefix before \"/\" must be a DNS-1123 subdomain (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels","/a=b",{"error":"--monitoring-labels \"/a=b\": label key \"/a\": the prefix before \"/\" must be a DNS-1123 subdomain (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels","a=",{"value":{"a":""}}],
  ["monitoringLabels","=a",{"error":"--monitoring-labels \"=a\": has an empty label key (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels","a=-x",{"error":"--monitoring-labels \"a=-x\": label \"a\": value \"-x\" must be at most 63 characters of a-z, A-Z, 0-9, \"-\", \"_\", \".\", starting and ending alphanumeric (or empty) (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels","a=xyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",{"value":{"a":"xyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}}],
  ["monitoringLabels","a=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",{"error":"--monitoring-labels \"a=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\": label \"a\": value \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" must be at most 63 characters of a-z, A-Z, 0-9, \"-\", \"_\", \".\", starting and ending alphanumeric (or empty) (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels","xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=a",{"error":"--monitoring-labels \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=a\": label key \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\": the name must be at most 63 characters of a-z, A-Z, 0-9, \"-\", \"_\", \".\", starting and ending alphanumeric (valid: Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none)"}],
  ["monitoringLabels"," a = b ",{"value":{"a":"b"}}],
  ["monitoringLabels","",{"value":{}}],
  ["monitoringLabels","example.com/Team_1=A.b-c_D",{"value":{"example.com/Team_1":"A.b-c_D"}}],
  ["monitoringLabels","a.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/x=y",{"value":{"a.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/x":"y"}}]];

describe('parseSetting at the boundaries', () => {
  test.each(ROWS.map((r) => [r[0], JSON.stringify(r[1]).slice(0, 40), r] as const))('%s %s', (_k, _shown, [key, raw, want]) => {
    if ('value' in want) {
      expect(parseSetting(key, raw)).toEqual(want.value);
    } else {
      expect(() => parseSetting(key, raw)).toThrow(InputError);
      expect(() => parseSetting(key, raw)).toThrow(want.error);
      let message = '';
      try {
        parseSetting(key, raw);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toBe(want.error);
    }
  });

  test('a stored value names its file and key instead of the flag', () => {
    expect(() => parseSetting('replicas', 0, '.yo-rc.json: "generator-cnpg-operator.replicas"')).toThrow('.yo-rc.json: "generator-cnpg-operator.replicas" 0: must be an integer from 1 to 10');
  });
});

describe('versions', () => {
  test('versions compare by number, not by text', () => {
    expect(compareVersions('0.10.0', '0.9.0')).toBeGreaterThan(0);
    expect(compareVersions('0.9.0', '0.10.0')).toBeLessThan(0);
    expect(compareVersions('1.0.0', '0.99.99')).toBeGreaterThan(0);
    expect(compareVersions('0.26.1', '0.26.0')).toBeGreaterThan(0);
    expect(compareVersions('0.26.0', '0.26.0')).toBe(0);
  });

  test('operator versions and the charts that ship them', () => {
    expect([operatorVersionOf('0.26.1'), operatorVersionOf('0.40.0'), operatorVersionOf('constructor')]).toEqual(['1.27.1', undefined, undefined]);
    expect(chartsShipping('1.29.1')).toEqual(['0.28.3', '0.28.2', '0.28.1']);
    expect(chartsShipping('0.26.0')).toEqual([]);
    expect([describeChart('0.26.1'), describeChart('0.40.0')]).toEqual(['0.26.1 (operator 1.27.1)', '0.40.0 (operator unknown)']);
  });

  test('the Kubernetes requirement is reported only above the baseline', () => {
    expect([kubeRequirement('0.29.0'), kubeRequirement('0.26.0'), kubeRequirement('0.28.0'), kubeRequirement('toString')]).toEqual(['chart 0.29.0 needs Kubernetes >= 1.29', undefined, undefined, undefined]);
  });
});

/** The message of what `f` throws, checking it is an InputError (exit 2). */
function inputErrorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('did not throw');
}

const DELAY_VALID = "whole seconds from 0 to 86400, written to the operator's config.data; empty for none (operator default 0)";

describe('the pacing delays (--clusters-rollout-delay, --instances-rollout-delay)', () => {
  test.each(['clustersRolloutDelay', 'instancesRolloutDelay'] as const)('%s: whole seconds 0..86400; empty or null unsets it', (key) => {
    expect([parseSetting(key, '0'), parseSetting(key, '300'), parseSetting(key, ' 86400 '), parseSetting(key, 60)]).toEqual([0, 300, 86400, 60]);
    expect([parseSetting(key, null), parseSetting(key, ''), parseSetting(key, '  ')]).toEqual([null, null, null]);
  });

  test('a value out of range or not whole is one InputError naming the flag, the value and what is valid', () => {
    expect(inputErrorOf(() => parseSetting('clustersRolloutDelay', '86401'))).toBe(
      `--clusters-rollout-delay "86401": must be a whole number of seconds from 0 to 86400 (valid: ${DELAY_VALID})`);
    expect(inputErrorOf(() => parseSetting('instancesRolloutDelay', '1.5'))).toBe(
      `--instances-rollout-delay "1.5": must be a whole number of seconds from 0 to 86400 (valid: ${DELAY_VALID})`);
    expect(inputErrorOf(() => parseSetting('instancesRolloutDelay', '-1'))).toBe(
      `--instances-rollout-delay "-1": must be a whole number of seconds from 0 to 86400 (valid: ${DELAY_VALID})`);
    expect(inputErrorOf(() => parseSetting('clustersRolloutDelay', true))).toBe(
      `--clusters-rollout-delay true: expected a string, got boolean (valid: ${DELAY_VALID})`);
  });
});

describe('values that are not strings', () => {
  test('a finite number is read as its digits; NaN, Infinity, objects and undefined are refused naming their type', () => {
    expect(parseSetting('namespace', 12)).toBe('12');
    // No flag, prompt or JSON file can carry NaN or Infinity (JSON.stringify shows them as null): only the reason is pinned.
    expect(inputErrorOf(() => parseSetting('replicas', Number.NaN))).toMatch(/^--replicas \S+: expected a string, got number \(valid: an integer from 1 to 10\)$/);
    expect(inputErrorOf(() => parseSetting('namespace', Number.POSITIVE_INFINITY))).toMatch(/: expected a string, got number \(valid: a DNS-1123 label, at most 63 characters\)$/);
    expect(inputErrorOf(() => parseSetting('namespace', { a: 1 }))).toBe('--namespace {"a":1}: expected a string, got object (valid: a DNS-1123 label, at most 63 characters)');
    expect(inputErrorOf(() => parseSetting('layout', undefined))).toBe(
      '--layout undefined: expected a string, got undefined (valid: one of infrastructure, apps (default: detected from the repo; an empty repo is infrastructure))');
  });

  test('--layout: one of the layouts, trimmed; anything else names them', () => {
    expect([parseSetting('layout', ' apps '), parseSetting('layout', 'infrastructure')]).toEqual(['apps', 'infrastructure']);
    expect(inputErrorOf(() => parseSetting('layout', 'flat'))).toBe(
      '--layout "flat": must be one of infrastructure, apps (valid: one of infrastructure, apps (default: detected from the repo; an empty repo is infrastructure))');
  });

  test('a list item that is not a string names its position and type', () => {
    expect(inputErrorOf(() => parseSetting('dependsOn', ['a', true]))).toBe(
      '--depends-on ["a",true]: item 2 (true) expected a string, got boolean (valid: Flux Kustomization names (DNS-1123 subdomains), comma-separated; empty for none)');
    expect(parseSetting('cluster', ['b', 7, 'b'])).toEqual(['b', '7']);
  });
});

describe('how each setting is shown (.yo-rc.json, the prompt default, --help)', () => {
  test('lists join with commas, labels as key=value, an unset delay as empty', () => {
    expect(settingOf('cluster').show(['a', 'b'])).toBe('a,b');
    expect(settingOf('dependsOn').show(['x', 'y.z'])).toBe('x,y.z');
    expect(settingOf('dependsOn').show([])).toBe('');
    expect(settingOf('monitoringLabels').show({ a: 'b', 'example.com/c': 'd' })).toBe('a=b,example.com/c=d');
    expect(settingOf('monitoringLabels').show({})).toBe('');
    expect(settingOf('replicas').show(3)).toBe('3');
    expect(settingOf('inplaceUpdates').show(true)).toBe('true');
    expect(settingOf('inplaceUpdates').show(false)).toBe('false');
    expect(settingOf('clustersRolloutDelay').show(null)).toBe('');
    expect(settingOf('instancesRolloutDelay').show(0)).toBe('0');
    expect([settingOf('namespace').show('db'), settingOf('chartVersion').show('0.26.1'), settingOf('storageClass').show('fast'),
      settingOf('monitoring').show('none'), settingOf('layout').show('apps')]).toEqual(['db', '0.26.1', 'fast', 'none', 'apps']);
  });

  test('a shown value parses back to itself', () => {
    const values: [SettingKey, unknown][] = [['cluster', ['a', 'b']], ['dependsOn', []], ['monitoringLabels', { a: 'b', c: '' }],
      ['replicas', 10], ['inplaceUpdates', true], ['clustersRolloutDelay', null], ['instancesRolloutDelay', 120]];
    for (const [key, v] of values) expect(parseSetting(key, settingOf(key).show(v as never))).toEqual(v);
  });
});

describe('warnings about valid values', () => {
  test('--replicas 1 warns about node drains; 2 does not', () => {
    expect(settingOf('replicas').warn?.(1)).toEqual(['--replicas 1: the PodDisruptionBudget (minAvailable: 1) will block node drains while the single operator pod runs there']);
    expect(settingOf('replicas').warn?.(2)).toEqual([]);
  });

  test('--chart-version: an unknown chart names the table range; a known one its Kubernetes requirement, if any', () => {
    expect(settingOf('chartVersion').warn?.('0.40.0')).toEqual([
      "--chart-version 0.40.0 is not in this generator's table of known charts (0.22.0..0.29.0); its operator version is unknown and its values were not checked"]);
    expect(settingOf('chartVersion').warn?.('0.29.0')).toEqual(['chart 0.29.0 needs Kubernetes >= 1.29']);
    expect(settingOf('chartVersion').warn?.('0.26.0')).toEqual([]);
  });
});

describe('what is asked and stored per layout', () => {
  test('apps has no cluster settings: --cluster and --storage-class are neither asked nor stored there', () => {
    const answers = (layout: 'apps' | 'infrastructure', monitoring: 'none' | 'victoria-metrics' = 'victoria-metrics') =>
      ({ ...settingDefaults(), layout, monitoring });
    expect(settingOf('cluster').askWhen?.(answers('apps'))).toBe(false);
    expect(settingOf('cluster').askWhen?.(answers('infrastructure'))).toBe(true);
    expect(settingOf('storageClass').askWhen?.(answers('apps'))).toBe(false);
    expect(settingOf('storageClass').askWhen?.(answers('infrastructure'))).toBe(true);
    expect(settingOf('monitoringLabels').askWhen?.(answers('infrastructure', 'none'))).toBe(false);
    expect(settingOf('monitoringLabels').askWhen?.(answers('apps', 'victoria-metrics'))).toBe(true);
    expect((['cluster', 'storageClass', 'namespace', 'replicas'] as const).map((k) => [appliesIn(k, 'apps'), appliesIn(k, 'infrastructure')])).toEqual([
      [false, true], [false, true], [true, true], [true, true]]);
  });
});

function settingDefaults() {
  return { cluster: ['infra'], namespace: 'cnpg-system', replicas: 2, chartVersion: '0.26.0', storageClass: 'ceph-block', monitoring: 'victoria-metrics' as const,
    dependsOn: [], monitoringLabels: {}, inplaceUpdates: false, clustersRolloutDelay: null, instancesRolloutDelay: null, layout: 'infrastructure' as const };
}

const SETTING_OPTIONS: [string, SettingKey, string][] = [
  ['cluster', 'cluster', 'DNS-1123 labels, comma-separated; each selects kubernetes/clusters/<cluster>/cluster-settings.yaml (default: infra)'],
  ['namespace', 'namespace', 'a DNS-1123 label, at most 63 characters (default: cnpg-system)'],
  ['operator-namespace', 'namespace', 'a DNS-1123 label, at most 63 characters (default: cnpg-system)'],
  ['replicas', 'replicas', 'an integer from 1 to 10 (default: 2)'],
  ['chart-version', 'chartVersion', 'an exact chart version X.Y.Z, e.g. 0.28.1, 0.28.2, 0.28.3, 0.29.0 (default: 0.26.0)'],
  ['storage-class', 'storageClass', 'a DNS-1123 subdomain (a StorageClass name) (default: ceph-block)'],
  ['monitoring', 'monitoring', 'one of victoria-metrics, prometheus-operator, none (default: victoria-metrics)'],
  ['depends-on', 'dependsOn', 'Flux Kustomization names (DNS-1123 subdomains), comma-separated; empty for none (default: none)'],
  ['monitoring-labels', 'monitoringLabels', 'Kubernetes labels key=value, comma-separated (e.g. release=kube-prometheus-stack); empty for none (default: none)'],
  ['inplace-updates', 'inplaceUpdates', 'true or false (default: false)'],
  ['clusters-rollout-delay', 'clustersRolloutDelay', `${DELAY_VALID} (default: none)`],
  ['instances-rollout-delay', 'instancesRolloutDelay', `${DELAY_VALID} (default: none)`],
  ['layout', 'layout', 'one of infrastructure, apps (default: detected from the repo; an empty repo is infrastructure) (default: infrastructure)'],
];

const BIN_ACTIONS = ['yes', 'all-clusters', 'new-cluster', 'no-commit', 'dry-run', 'check', 'force', 'allow-downgrade', 'json', 'plan', 'from', 'to', 'directory', 'help', 'version'];

describe('doorOptions: what each door accepts', () => {
  test.each(['bin', 'yeoman'] as const)('%s: every setting under its flag and aliases, with what is valid and its default', (door) => {
    const settings = doorOptions(door).filter((o) => o.setting !== undefined);
    expect(settings).toStrictEqual(SETTING_OPTIONS.map(([name, setting, description]) => ({ name, type: 'string', description, setting })));
  });

  test('the bin: every action but --interactive (Yeoman only), with its short form where it has one', () => {
    const actions = doorOptions('bin').filter((o) => o.action !== undefined);
    expect(actions.map((o) => o.name)).toEqual(BIN_ACTIONS);
    expect(Object.fromEntries(actions.filter((o) => o.short !== undefined).map((o) => [o.name, o.short]))).toEqual({ yes: 'y', directory: 'C', help: 'h', version: 'V' });
    expect(actions.filter((o) => 'short' in o && o.short === undefined)).toEqual([]);
    expect(actions.filter((o) => o.type === 'string').map((o) => o.name)).toEqual(['from', 'to', 'directory']);
    expect(actions.filter((o) => o.type === 'boolean').map((o) => o.name)).toEqual(BIN_ACTIONS.filter((n) => !['from', 'to', 'directory'].includes(n)));
    for (const o of actions) {
      expect(o.action).toBe(ACTIONS.find((a) => a.flag === o.name));
      expect(o.description).toBe(o.action?.description);
      expect(o.setting).toBeUndefined();
    }
    expect(doorOptions('bin').length).toBe(SETTING_OPTIONS.length + BIN_ACTIONS.length);
  });

  test('the names the Yeoman door declares: the flag itself, but --commit for --no-commit (Yeoman refuses names starting with no-)', () => {
    expect(ACTIONS.filter((a) => a.yeomanOption !== a.flag).map((a) => [a.flag, a.yeomanOption])).toEqual([['no-commit', 'commit']]);
    expect(ACTIONS.map((a) => a.yeomanOption).filter((n) => n.startsWith('no-') || n === '')).toEqual([]);
  });

  test('the Yeoman door: the same, plus --interactive before --help', () => {
    const names = doorOptions('yeoman').filter((o) => o.action !== undefined).map((o) => o.name);
    expect(names).toEqual([...BIN_ACTIONS.slice(0, -2), 'interactive', 'help', 'version']);
    expect(doorOptions('yeoman').find((o) => o.name === 'interactive')).toStrictEqual({
      name: 'interactive', type: 'boolean', description: "prompt even without a TTY (answers come from Yeoman's adapter, e.g. yeoman-test)", action: ACTIONS.find((a) => a.flag === 'interactive'),
    });
    expect(doorOptions('yeoman').find((o) => o.name === 'yes')).toStrictEqual({
      name: 'yes', short: 'y', type: 'boolean', description: 'never prompt: use flags, stored answers, then defaults', action: ACTIONS[0],
    });
  });
});

describe('runOptionsFrom: the action flags as RunOptions', () => {
  test('nothing given: the defaults; flags without a RunOptions field (-C, --help, --version, --interactive, settings) change nothing', () => {
    expect(runOptionsFrom({})).toStrictEqual(DEFAULT_RUN_OPTIONS);
    expect(runOptionsFrom({ directory: 'x', help: true, version: true, interactive: true, replicas: '3', cluster: 'a' })).toStrictEqual(DEFAULT_RUN_OPTIONS);
    expect(DEFAULT_RUN_OPTIONS).toEqual({ yes: false, allClusters: false, newCluster: false, commit: true, dryRun: false, check: false, force: false,
      allowDowngrade: false, json: false, plan: false });
  });

  const BOOLEAN: [string, keyof RunOptions][] = [['yes', 'yes'], ['all-clusters', 'allClusters'], ['new-cluster', 'newCluster'], ['dry-run', 'dryRun'],
    ['check', 'check'], ['force', 'force'], ['allow-downgrade', 'allowDowngrade'], ['json', 'json'], ['plan', 'plan']];
  test.each(BOOLEAN)('--%s sets %s, and only it', (flag, field) => {
    expect(runOptionsFrom({ [flag]: true })).toStrictEqual({ ...DEFAULT_RUN_OPTIONS, [field]: true });
    expect(runOptionsFrom({ [flag]: false })).toStrictEqual(DEFAULT_RUN_OPTIONS);
  });

  test('--no-commit clears commit; given as false it leaves commit on', () => {
    expect(runOptionsFrom({ 'no-commit': true })).toStrictEqual({ ...DEFAULT_RUN_OPTIONS, commit: false });
    expect(runOptionsFrom({ 'no-commit': false })).toStrictEqual(DEFAULT_RUN_OPTIONS);
  });

  test('several flags at once', () => {
    expect(runOptionsFrom({ yes: true, 'all-clusters': true, 'no-commit': true, force: true, json: true })).toStrictEqual({
      ...DEFAULT_RUN_OPTIONS, yes: true, allClusters: true, commit: false, force: true, json: true });
  });

  test('--plan with --from and --to: both validated, trimmed', () => {
    expect(runOptionsFrom({ plan: true, from: '0.26.0', to: ' 0.29.0 ' })).toStrictEqual({ ...DEFAULT_RUN_OPTIONS, plan: true, planFrom: '0.26.0', planTo: '0.29.0' });
    expect(runOptionsFrom({ plan: true, to: '0.40.0', json: true })).toStrictEqual({ ...DEFAULT_RUN_OPTIONS, plan: true, json: true, planTo: '0.40.0' });
    expect(runOptionsFrom({ plan: true, from: '0.26.0' })).toStrictEqual({ ...DEFAULT_RUN_OPTIONS, plan: true, planFrom: '0.26.0' });
  });

  test('--from or --to without --plan is refused, naming the first', () => {
    expect(inputErrorOf(() => runOptionsFrom({ from: '0.26.0' }))).toBe('--from is only valid with --plan');
    expect(inputErrorOf(() => runOptionsFrom({ to: '0.29.0' }))).toBe('--to is only valid with --plan');
    expect(inputErrorOf(() => runOptionsFrom({ from: '0.26.0', to: '0.29.0', json: true }))).toBe('--from is only valid with --plan');
    expect(inputErrorOf(() => runOptionsFrom({ plan: false, to: '0.29.0' }))).toBe('--to is only valid with --plan');
  });

  test('--plan writes nothing, so --check and --dry-run are refused beside it; its target is --to, not --chart-version', () => {
    expect(inputErrorOf(() => runOptionsFrom({ plan: true, check: true }))).toBe('--plan cannot be combined with --check');
    expect(inputErrorOf(() => runOptionsFrom({ plan: true, 'dry-run': true }))).toBe('--plan cannot be combined with --dry-run');
    expect(inputErrorOf(() => runOptionsFrom({ plan: true, check: true, 'dry-run': true }))).toBe('--plan cannot be combined with --check');
    expect(inputErrorOf(() => runOptionsFrom({ plan: true, 'chart-version': '0.29.0' }))).toBe('--plan takes the version to plan to as --to, not --chart-version');
    expect(inputErrorOf(() => runOptionsFrom({ plan: true, 'chart-version': '' }))).toBe('--plan takes the version to plan to as --to, not --chart-version');
    // Without --plan they are a normal run's flags.
    expect(runOptionsFrom({ check: true, 'dry-run': true, 'chart-version': '0.29.0' })).toStrictEqual({ ...DEFAULT_RUN_OPTIONS, check: true, dryRun: true });
    expect(runOptionsFrom({ plan: false, check: true })).toStrictEqual({ ...DEFAULT_RUN_OPTIONS, check: true });
  });

  test('--from / --to must be an exact chart version, named with the value as given', () => {
    const exact = 'must be an exact chart version X.Y.Z (no "latest", ranges, "v" prefix or partial versions)';
    expect(inputErrorOf(() => runOptionsFrom({ plan: true, from: 'latest' }))).toBe(`--from "latest": ${exact}`);
    expect(inputErrorOf(() => runOptionsFrom({ plan: true, to: 'v0.29.0' }))).toBe(`--to "v0.29.0": ${exact}`);
    expect(inputErrorOf(() => runOptionsFrom({ plan: true, to: '0.29' }))).toBe(`--to "0.29": ${exact}`);
    expect(inputErrorOf(() => runOptionsFrom({ plan: true, to: '' }))).toBe(`--to "": ${exact}`);
    expect(inputErrorOf(() => runOptionsFrom({ plan: true, from: true }))).toBe(`--from true: ${exact}`);
    expect(inputErrorOf(() => runOptionsFrom({ plan: true, from: 26 }))).toBe(`--from 26: ${exact}`);
  });

  test('an operator version given as a chart names the chart that ships it', () => {
    expect(inputErrorOf(() => runOptionsFrom({ plan: true, to: '1.27.0' }))).toBe('--to 1.27.0 is an operator version, not a chart version: use chart 0.26.0');
    expect(inputErrorOf(() => runOptionsFrom({ plan: true, from: ' 1.29.1 ' }))).toBe('--from 1.29.1 is an operator version, not a chart version: use chart 0.28.3');
  });

  test('the values are checked before the combination: a bad --from without --plan names the value', () => {
    expect(inputErrorOf(() => runOptionsFrom({ from: 'x' }))).toBe('--from "x": must be an exact chart version X.Y.Z (no "latest", ranges, "v" prefix or partial versions)');
  });
});

/**
 * Issue 14, "hunt for what the planted bugs suggest" in the settings table: every setting's parser at its
 * boundaries (lengths 63/64 and 253/254, 1 and 10 replicas, operator versions in the chart slot, duplicates, empty
 * items, label prefixes), with the exact one-line message a user reads. Each row was read and judged by hand.
 */
import { describe, expect, test } from '@jest/globals';
import { InputError } from '../src/core/errors.js';
import { type SettingKey, parseSetting } from '../src/core/settings.js';
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

/**
 * Issue 14, "YAML 1.1 readers": Kubernetes (sigs.k8s.io/yaml) and many tools read YAML 1.1, where on, yes, y, n,
 * off, 017, 0x1f, 1_000, 12:30 and 2026-01-01 are not strings. Every template and every patch is rendered with
 * such values wherever a user can give them, and the output is read with a YAML 1.1 parser (and a 1.2 one): the
 * strings must stay strings. Values no setting accepts (~, 12:30) are refused before anything is rendered.
 */
import { describe, expect, test } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { InputError } from '../src/core/errors.js';
import { addKustomizationResource } from '../src/core/patch/kustomization-list.js';
import { patchClusterSettings } from '../src/core/patch/cluster-settings.js';
import { patchCrdsHelmfile } from '../src/core/patch/crds-helmfile.js';
import { renderGenerated } from '../src/core/plan.js';
import { type Answers, DEFAULT_ANSWERS, type Monitoring, parseSetting } from '../src/core/settings.js';
import { type ScalarStyle, TemplateError, doubleQuoted, yamlScalar } from '../src/core/yaml-scalar.js';
import { CLUSTER_SETTINGS } from './helpers/repo.js';
import { CRDS, L, changeOf, planFor, settingsPath } from './helpers/core.js';

type Doc = Record<string, any>;
const VERSIONS = ['1.1', '1.2'] as const;
/** Every document of a text, as plain JS, read as YAML 1.1 or 1.2 (throws on a YAML error). */
function docs(text: string, version: '1.1' | '1.2'): Doc[] {
  return parseAllDocuments(text, { version }).map((d) => {
    if (d.errors.length > 0) throw d.errors[0];
    return d.toJS({ mapAsMap: false });
  }).filter((d) => d !== null);
}
const byKind = (ds: Doc[], kind: string): Doc[] => ds.filter((d) => d.kind === kind);

/** Words YAML 1.1 (and partly 1.2) reads as booleans, null, numbers or timestamps, and that a DNS label allows. */
const DNS_WORDS = ['on', 'off', 'yes', 'no', 'y', 'n', 'true', 'false', 'null', 'nan', 'inf', '1e3', '0o17', '017', '0x1f', '0b101', '123', '2026-01-01'];
/** The same for label values, which also allow capitals, "_" and ".". */
const LABEL_VALUES = ['On', 'OFF', 'Yes', 'NO', 'Y', 'N', 'TRUE', 'Null', '1e3', '0o17', '017', '0x1F', '1_000', '1.5', '190_20.5', '2026-01-01', '0b101', '0B11'];
const LABEL_KEYS = ['on', 'Yes', 'y', 'N', 'off', 'null', 'example.com/yes', '1e3'];
const MONITORED: Monitoring[] = ['victoria-metrics', 'prometheus-operator'];

const render = (answers: Partial<Answers>): string =>
  [...renderGenerated({ ...DEFAULT_ANSWERS, ...answers }, L).values()].join('');

describe('templates under a YAML 1.1 reader', () => {
  test.each(DNS_WORDS.flatMap((w) => MONITORED.map((m) => [w, m] as const)))('namespace %s (%s) stays the string everywhere', (word, monitoring) => {
    const namespace = parseSetting('namespace', word);
    const text = render({ namespace, monitoring });
    for (const v of VERSIONS) {
      const ds = docs(text, v);
      expect(byKind(ds, 'Namespace').map((d) => d.metadata.name)).toEqual([word]);
      const namespaced = ds.filter((d) => d.kind !== 'Namespace' && d.kind !== 'Kustomization');
      expect(namespaced.length).toBeGreaterThanOrEqual(5);
      for (const d of namespaced) expect([d.kind, d.metadata.namespace]).toEqual([d.kind, word]);
      const [kustomization, ks] = [ds.find((d) => d.apiVersion?.startsWith('kustomize.config')), ds.find((d) => d.apiVersion?.startsWith('kustomize.toolkit'))];
      expect(kustomization!.namespace).toBe(word);
      expect(ks!.metadata.namespace).toBe('flux-system');
      expect(ks!.spec.healthChecks.find((h: Doc) => h.kind === 'HelmRelease').namespace).toBe(word);
    }
  });

  test.each([...DNS_WORDS, '1.5', '0.5e3'])('--depends-on %s stays a string in ks.yaml', (word) => {
    const dependsOn = parseSetting('dependsOn', `${word},infra-${word}`);
    const text = renderGenerated({ ...DEFAULT_ANSWERS, dependsOn }, L).get(`${L.operatorDir}/ks.yaml`)!;
    for (const v of VERSIONS) expect(docs(text, v)[0].spec.dependsOn).toEqual([{ name: word }, { name: `infra-${word}` }]);
  });

  test.each(MONITORED)('--monitoring-labels keys and values stay strings on the scrape and rule objects (%s)', (monitoring) => {
    const pairs = LABEL_KEYS.map((k, i) => [k, LABEL_VALUES[i]] as const);
    const extra = LABEL_VALUES.slice(LABEL_KEYS.length).map((value, i) => [`k${i}`, value] as const);
    const monitoringLabels = parseSetting('monitoringLabels', [...pairs, ...extra].map(([k, x]) => `${k}=${x}`).join(','));
    const text = render({ monitoring, monitoringLabels });
    const want = { 'app.kubernetes.io/name': 'cloudnative-pg', ...Object.fromEntries([...pairs, ...extra]) };
    for (const v of VERSIONS) {
      const labelled = docs(text, v).filter((d) => ['VMPodScrape', 'PodMonitor', 'VMRule', 'PrometheusRule'].includes(d.kind));
      expect(labelled.map((d) => d.kind).sort()).toEqual(monitoring === 'victoria-metrics' ? ['VMPodScrape', 'VMRule'] : ['PodMonitor', 'PrometheusRule']);
      for (const d of labelled) expect(d.metadata.labels).toEqual(want);
    }
  });

  test('every rendering reads the same under YAML 1.1 and 1.2', () => {
    const text = render({ namespace: 'yes', dependsOn: ['on', 'off'], monitoringLabels: { y: 'n', on: '017' }, inplaceUpdates: true });
    expect(docs(text, '1.1')).toEqual(docs(text, '1.2'));
  });

  test.each([
    ['namespace', '~'],
    ['namespace', '12:30'],
    ['dependsOn', '12:30'],
    ['storageClass', '~'],
    ['storageClass', '12:30'],
    ['monitoringLabels', 'a=~'],
    ['monitoringLabels', 'a=12:30'],
    ['monitoringLabels', '~=a'],
  ] as const)('%s %s is refused before anything is rendered', (key, raw) => {
    expect(() => parseSetting(key, raw)).toThrow(InputError);
  });
});

describe('patches under a YAML 1.1 reader', () => {
  const WORDS = [...DNS_WORDS, '~', '12:30', '1_000', 'Yes', '.inf', ''];

  test.each(WORDS)('cluster-settings: BLOCK_SC %j replaces a plain value and stays a string, as do the version and replicas', (word) => {
    const before = CLUSTER_SETTINGS.replace('BLOCK_SC: "local-path"', 'BLOCK_SC: local-path');
    const values = { CNPG_OPERATOR_VERSION: '0.26.1', CNPG_OPERATOR_REPLICAS: '2', BLOCK_SC: word };
    for (const text of [patchClusterSettings(before, 'cs.yaml', values), patchClusterSettings(undefined, 'cs.yaml', values)]) {
      for (const v of VERSIONS) expect(docs(text, v)[0].data).toMatchObject(values);
    }
  });

  test('cluster-settings: keys inserted into a file without them are strings too', () => {
    const before = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  CLUSTER_NAME: on\n';
    const text = patchClusterSettings(before, 'cs.yaml', { CNPG_OPERATOR_VERSION: '0.26.0', CNPG_OPERATOR_REPLICAS: '10', BLOCK_SC: 'off' });
    expect(docs(text, '1.1')[0].data).toEqual({ CLUSTER_NAME: true, CNPG_OPERATOR_VERSION: '0.26.0', CNPG_OPERATOR_REPLICAS: '10', BLOCK_SC: 'off' });
  });

  test('through the plan: --storage-class yes and --replicas 3 land as strings in every target cluster', () => {
    const { plan } = planFor({ files: { [settingsPath('a')]: CLUSTER_SETTINGS, [settingsPath('b')]: CLUSTER_SETTINGS }, flags: { cluster: ['a', 'b'], storageClass: 'yes', replicas: 3 } });
    for (const c of ['a', 'b']) {
      for (const v of VERSIONS) expect(docs(changeOf(plan, settingsPath(c)).after!, v)[0].data).toMatchObject({ BLOCK_SC: 'yes', CNPG_OPERATOR_REPLICAS: '3', CNPG_OPERATOR_VERSION: '0.26.0' });
    }
  });

  test.each(['0.26.1', '1.0.0', '10.20.30'])('CRD helmfile: version %s stays a string, plain or quoted as before', (version) => {
    for (const before of [undefined, 'releases:\n  - name: cloudnative-pg\n    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg\n    version: 0.1.0\n', "releases:\n  - name: cloudnative-pg-crds\n    version: '0.1.0'\n"]) {
      const text = patchCrdsHelmfile(before, CRDS, version);
      for (const v of VERSIONS) {
        const release = docs(text, v).flatMap((d) => d.releases ?? [])[0];
        expect(release).toMatchObject({ version });
      }
    }
  });

  test('parent kustomization: the entry is a string in a new and an existing file', () => {
    for (const before of [undefined, 'resources:\n  - ./on\n  - yes\n']) {
      const text = addKustomizationResource(before, 'k.yaml', L.parentEntry);
      expect(docs(text, '1.1')[0].resources).toContain(L.parentEntry);
    }
  });
});

describe('yamlScalar, the one serialiser', () => {
  const TRICKY = ['on', 'Off', 'YES', 'y', 'N', '~', 'null', 'Null', '', ' ', '1e3', '1e10', '1e-3', '1.55', '2.5e+10', '-1E-3', '+12', '.5', '0o17', '017', '0x1F', '0b101', '1_000', '12:30', '-1:20:30.5', '190:20:30', '1:2', '1:20:30.55', '.inf', '-.Inf', '.NaN', '2026-01-01', '2026-1-1', '2026-01-01T10:00:00Z', '2026-1-1T10:00:00Z', '2026-01-01t10:00:00.5', '2026-1-1 10:00:00', '0.26.0', 'a: b', '- x', '#c', '&a', '*a', '!t', '%x', '@x', '`x', '|', '>', "it's", 'say "hi"', 'é', '\t', 'a\nb', '[x]', '{x}', 'x,y', '=', '<<'];
  const STYLES: ScalarStyle[] = ['auto', 'plain-or-double', 'single', 'double'];

  test.each(STYLES)('%s: every tricky string reads back as itself under YAML 1.1 and 1.2, on one line', (style) => {
    for (const s of TRICKY) {
      const out = yamlScalar(s, style);
      expect(out).not.toMatch(/[\n\r]/);
      for (const v of VERSIONS) expect([s, docs(`k: ${out}\n`, v)[0]]).toEqual([s, { k: s }]);
    }
  });

  test('safe names, paths, versions and URLs are printed plain; numbers and booleans as such', () => {
    for (const s of ['cnpg-system', './operator/ks.yaml', '0.26.1', 'oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg', 'a_b', 'release=x', 'user@host', 'a:b', 'x1:20', 'x.inf']) {
      expect([s, yamlScalar(s)]).toEqual([s, s]);
      expect([s, yamlScalar(s, 'plain-or-double')]).toEqual([s, s]);
    }
    expect([yamlScalar(2), yamlScalar(true), yamlScalar(false)]).toEqual(['2', 'true', 'false']);
    expect([yamlScalar('yes'), yamlScalar('yes', 'plain-or-double'), yamlScalar('yes', 'single'), yamlScalar('yes', 'double')]).toEqual(["'yes'", '"yes"', "'yes'", '"yes"']);
    expect([yamlScalar("it's"), yamlScalar("it's", 'single')]).toEqual(['"it\'s"', "'it''s'"]);
    expect(yamlScalar('é')).toBe('"\\u00e9"');
    expect(docs(`k: ${yamlScalar('😀')}\n`, '1.2')[0].k).toBe('😀');
  });

  test('each style prints exactly what a person editing the file would write', () => {
    const cases: [string, Record<ScalarStyle, string>][] = [
      ['', { auto: "''", 'plain-or-double': '""', single: "''", double: '""' }],
      ['a b', { auto: "'a b'", 'plain-or-double': '"a b"', single: "'a b'", double: '"a b"' }],
      ['cnpg-system', { auto: 'cnpg-system', 'plain-or-double': 'cnpg-system', single: "'cnpg-system'", double: '"cnpg-system"' }],
      ["it's", { auto: '"it\'s"', 'plain-or-double': '"it\'s"', single: "'it''s'", double: '"it\'s"' }],
      ["'a''b'", { auto: '"\'a\'\'b\'"', 'plain-or-double': '"\'a\'\'b\'"', single: "'''a''''b'''", double: '"\'a\'\'b\'"' }],
      ['say "hi"', { auto: '\'say "hi"\'', 'plain-or-double': '"say \\"hi\\""', single: '\'say "hi"\'', double: '"say \\"hi\\""' }],
      ['\t', { auto: '"\\t"', 'plain-or-double': '"\\t"', single: '"\\t"', double: '"\\t"' }],
      ['é', { auto: '"\\u00e9"', 'plain-or-double': '"\\u00e9"', single: '"\\u00e9"', double: '"\\u00e9"' }],
      ['~', { auto: "'~'", 'plain-or-double': '"~"', single: "'~'", double: '"~"' }],
    ];
    for (const [s, want] of cases) {
      const got = Object.fromEntries((Object.keys(want) as ScalarStyle[]).map((style) => [style, yamlScalar(s, style)]));
      expect([s, got]).toEqual([s, want]);
    }
    expect(yamlScalar('a b', undefined)).toBe("'a b'");
  });

  test('non-ASCII is escaped as \\uXXXX or \\UXXXXXXXX, ASCII kept as is', () => {
    expect(doubleQuoted('a~z')).toBe('"a~z"');
    expect(doubleQuoted('\u007f')).toBe('"\\u007f"');
    expect(doubleQuoted('\u0100x\u0fff')).toBe('"\\u0100x\\u0fff"');
    expect(doubleQuoted('\uffff')).toBe('"\\uffff"');
    expect(doubleQuoted('😀')).toBe('"\\U0001f600"');
    expect(doubleQuoted('a😀b\u{10ffff}')).toBe('"a\\U0001f600b\\U0010ffff"');
    expect(doubleQuoted('\u00e9\u00e9')).toBe('"\\u00e9\\u00e9"');
    for (const v of VERSIONS) expect(docs(`k: ${doubleQuoted('a😀é\u007f\uffff')}\n`, v)[0].k).toBe('a😀é\u007f\uffff');
  });

  test('only the two Flux variables, whole, may appear; anything else is refused naming it', () => {
    expect(yamlScalar('${CNPG_OPERATOR_VERSION}')).toBe("'${CNPG_OPERATOR_VERSION}'");
    expect(yamlScalar('v${CNPG_OPERATOR_REPLICAS}x', 'double')).toBe('"v${CNPG_OPERATOR_REPLICAS}x"');
    expect(yamlScalar('$CNPG_OPERATOR_VERSION')).toBe("'$CNPG_OPERATOR_VERSION'");
    expect(yamlScalar('{x}')).toBe("'{x}'");
    const refused: [string, string][] = [
      ['${HOME}', '"${HOME}"'],
      ['a${X}b', '"${X}"'],
      ['${CNPG_OPERATOR_VERSION', '"${CNPG_OPERATOR_VERSION"'],
      ['${}', '"${}"'],
      ['${CNPG_OPERATOR_VERSION}${CNPG_OPERATOR_VERSIONS}', '"${CNPG_OPERATOR_VERSIONS}"'],
      ['${cnpg_operator_version}', '"${cnpg_operator_version}"'],
    ];
    for (const [value, named] of refused) {
      for (const style of STYLES) {
        let err: unknown;
        try {
          yamlScalar(value, style);
        } catch (e) {
          err = e;
        }
        expect([value, style, err instanceof TemplateError, (err as Error | undefined)?.message]).toEqual([value, style, true, `refusing to print a Flux substitution ${named}`]);
      }
    }
  });

  test('values that are not a string, a finite number or a boolean are refused, naming what they are', () => {
    const refusal = (v: unknown): string => {
      try {
        yamlScalar(v);
      } catch (e) {
        return `${(e as Error).constructor.name}: ${(e as Error).message}`;
      }
      return 'printed';
    };
    expect([NaN, Infinity, -Infinity, undefined, null, {}, ['a'], 1n].map(refusal)).toEqual([
      'TemplateError: not a finite number: NaN',
      'TemplateError: not a finite number: Infinity',
      'TemplateError: not a finite number: -Infinity',
      'TemplateError: cannot print a undefined into YAML',
      'TemplateError: cannot print a object into YAML',
      'TemplateError: cannot print a object into YAML',
      'TemplateError: cannot print a object into YAML',
      'TemplateError: cannot print a bigint into YAML',
    ]);
    expect([yamlScalar(0), yamlScalar(-1.5), yamlScalar(3, 'double'), yamlScalar(false, 'single')]).toEqual(['0', '-1.5', '3', 'false']);
  });
});

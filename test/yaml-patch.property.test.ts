/**
 * Property-based tests of the in-place YAML patchers.
 *
 * Each generator builds a realistic file line by line and records, for every
 * input line, the text it must have after patching (itself, or its expected
 * replacement). The properties then check that the output is exactly those
 * lines, in the same order, with only allowed lines added in between (and
 * exactly as many as the model predicts), plus semantic checks on the parsed
 * result, byte-level checks (BOM, line endings, final newline) and
 * idempotence.
 */
import { deepStrictEqual } from 'node:assert/strict';
import { describe, test, expect } from '@jest/globals';
import fc from 'fast-check';
import { isMap, isScalar, isSeq, parseAllDocuments, type Scalar } from 'yaml';
import { addKustomizationResource } from '../src/core/patch/kustomization-list.js';
import { patchClusterSettings, readClusterSettings } from '../src/core/patch/cluster-settings.js';
import { patchCrdsHelmfile, readCrdsHelmfileVersion } from '../src/core/patch/crds-helmfile.js';
import { CNPG_CHART_URL, RENOVATE_COMMENT } from '../src/core/versions.js';

const SEED = 20261126;
type ArbType<A> = A extends fc.Arbitrary<infer T> ? T : never;
const BOM = '\uFEFF';
const SECTION = '# CloudNativePG Operator';
const KS = 'kustomization.yaml';

/**
 * Cheap assertions for the hot loop (jest's `expect` builds an Error per call,
 * which dominates the run time over thousands of runs). A failure throws, and
 * fast-check then shrinks and reports the counterexample.
 */
function is<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}
function ok(cond: boolean, what: string): void {
  if (!cond) throw new Error(what);
}

/** One line of a generated file: its text, and its text after patching. */
interface Line {
  text: string;
  expected: string;
}
const same = (text: string): Line => ({ text, expected: text });

interface Framing {
  eol: '\n' | '\r\n';
  bom: boolean;
  finalNewline: boolean;
}

const framingArb: fc.Arbitrary<Framing> = fc.record({
  eol: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
});

function render(lines: readonly Line[], f: Framing): string {
  return (f.bom ? BOM : '') + lines.map((l) => l.text).join(f.eol) + (f.finalNewline ? f.eol : '');
}

/** Output split into lines, after checking BOM, line endings and final newline. */
function outputLines(out: string, input: string, f: Framing): string[] {
  is(out.startsWith(BOM), f.bom, 'BOM kept');
  const body = f.bom ? out.slice(1) : out;
  ok(!body.includes(BOM), 'no BOM inside the text');
  if (f.eol === '\r\n') ok(!/[\r\n]/.test(body.replace(/\r\n/g, '')), 'only CRLF line endings');
  else ok(!body.includes('\r'), 'only LF line endings');
  is(out.endsWith(f.eol), input.endsWith(f.eol), 'final newline kept');
  // `render` joins lines with eol (+ one eol if finalNewline), so splitting gives them back
  const lines = body.split(f.eol);
  if (f.finalNewline) is(lines.pop(), '', 'text ends with a line ending');
  return lines;
}

/**
 * Every expected line appears in `out`, byte-identical and in order; each
 * other output line must be `allowed`. Returns the indices of the added lines. (Greedy
 * matching is exact here: skipping a match can never help, since the skipped
 * line equals the one matched later.)
 */
function alignedAdditions(expected: readonly string[], out: readonly string[], allowed: (l: string) => boolean): number[] {
  const added: number[] = [];
  let j = 0;
  for (const [i, line] of out.entries()) {
    if (j < expected.length && line === expected[j]) {
      j++;
    } else if (allowed(line)) {
      added.push(i);
    } else {
      throw new Error(`unexpected output line ${JSON.stringify(line)}; next expected ${JSON.stringify(expected[j])}`);
    }
  }
  if (j < expected.length) throw new Error(`input line ${JSON.stringify(expected[j])} is missing from the output`);
  return added;
}

type Style = 'plain' | 'single' | 'double';
const styled = (v: string, s: Style): string => (s === 'plain' ? v : s === 'single' ? `'${v}'` : JSON.stringify(v));

const styleArb = fc.constantFrom<Style>('plain', 'single', 'double');
const versionArb = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 20 }))
  .map(([a, b, c]) => `${a}.${b}.${c}`);
/** An inline comment (with its leading spaces), or none. */
const inlineCommentArb = fc.option(
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.stringMatching(/^[ -~]{0,16}$/)).map(([n, t]) => `${' '.repeat(n)}#${t}`),
  { nil: '' },
);
const wordArb = fc.constantFrom('Network', 'Storage', 'Apps', 'Monitoring', 'TODO: review', 'Databases', 'keep sorted');

// ---------------------------------------------------------------------------
// cluster-settings.yaml
// ---------------------------------------------------------------------------

const GEN_KEYS = ['CNPG_OPERATOR_VERSION', 'CNPG_OPERATOR_REPLICAS', 'BLOCK_SC'] as const;
type GenKey = (typeof GEN_KEYS)[number];

/** A decoration line inside `data`, given the data indentation. */
type Decor = (ind: string) => string;
const decorArb: fc.Arbitrary<Decor> = fc.oneof(
  fc.constant<Decor>(() => ''),
  wordArb.map<Decor>((w) => (ind) => `${ind}# ${w}`),
  wordArb.map<Decor>((w) => () => `# ${w}`),
  wordArb.map<Decor>((w) => (ind) => `${ind}#${w}   `),
);

interface OtherEntry {
  key: string;
  value: string;
  style: Style;
  comment: string;
  before: Decor[];
}

interface GenEntry {
  style: Style | 'null' | 'tilde';
  old: string;
  comment: string;
  before: Decor[];
  renovate: 'none' | 'correct' | 'other';
  pos: number;
}

const otherEntryArb: fc.Arbitrary<OtherEntry> = fc.record({
  key: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}$/).filter((k) => !(GEN_KEYS as readonly string[]).includes(k)),
  value: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/),
  style: styleArb,
  comment: inlineCommentArb,
  before: fc.array(decorArb, { maxLength: 2 }),
});

const genEntryArb = (old: fc.Arbitrary<string>): fc.Arbitrary<GenEntry | null> =>
  fc.option(
    fc.record({
      style: fc.constantFrom<GenEntry['style']>('plain', 'single', 'double', 'null', 'tilde'),
      old,
      comment: inlineCommentArb,
      before: fc.array(decorArb, { maxLength: 1 }),
      renovate: fc.constantFrom<GenEntry['renovate']>('none', 'correct', 'other'),
      pos: fc.nat(),
    }),
    { freq: 2 },
  );

const settingsArb = fc.record({
  framing: framingArb,
  indent: fc.constantFrom(2, 4),
  docMarker: fc.boolean(),
  headComment: fc.boolean(),
  namespace: fc.boolean(),
  dataFirst: fc.boolean(),
  dataMode: fc.constantFrom('block', 'block', 'block', 'block', 'block', 'missing', 'null', 'flow', 'tilde'),
  others: fc.uniqueArray(otherEntryArb, { selector: (e) => e.key, maxLength: 7 }),
  gen: fc.record({
    CNPG_OPERATOR_VERSION: genEntryArb(versionArb),
    CNPG_OPERATOR_REPLICAS: genEntryArb(fc.integer({ min: 0, max: 9 }).map(String)),
    BLOCK_SC: genEntryArb(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/)),
  }),
  trailer: fc.constantFrom('none', 'comment', 'blank', 'emptyDoc'),
  values: fc.record({
    CNPG_OPERATOR_VERSION: versionArb,
    CNPG_OPERATOR_REPLICAS: fc.integer({ min: 1, max: 5 }).map(String),
    BLOCK_SC: fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
  }),
});
type SettingsModel = ArbType<typeof settingsArb>;

interface BuiltSettings {
  lines: Line[];
  ind: string;
  present: GenKey[];
  /** Lines the patcher is expected to add. */
  addedCount: number;
}

function buildSettings(m: SettingsModel): BuiltSettings {
  const ind = ' '.repeat(m.indent);
  const values = m.values as Record<GenKey, string>;
  const metadata = [same('metadata:'), same(`${ind}name: cluster-settings`)];
  if (m.namespace) metadata.push(same(`${ind}namespace: flux-system`));

  const entries: { lines: Line[]; key?: GenKey }[] = m.others.map((e) => ({
    lines: [...e.before.map((d) => same(d(ind))), same(`${ind}${e.key}: ${styled(e.value, e.style)}${e.comment}`)],
  }));
  const present: GenKey[] = [];
  let renovateAdds = 0;
  if (m.dataMode === 'block') {
    for (const key of GEN_KEYS) {
      const g = m.gen[key];
      if (!g) continue;
      present.push(key);
      const value =
        g.style === 'null' ? '' : g.style === 'tilde' ? ' ~' : ` ${styled(g.old, g.style)}`;
      const lines = g.before.map((d) => same(d(ind)));
      if (key === 'CNPG_OPERATOR_VERSION') {
        if (g.renovate === 'correct') lines.push(same(`${ind}${RENOVATE_COMMENT}`));
        else if (g.renovate === 'other') lines.push(same(`${ind}# renovate: datasource=helm depName=cloudnative-pg`));
        else renovateAdds++;
      }
      lines.push({
        text: `${ind}${key}:${value}${g.comment}`,
        expected: `${ind}${key}: ${JSON.stringify(values[key])}${g.comment}`,
      });
      entries.splice(g.pos % (entries.length + 1), 0, { lines, key });
    }
  }

  const hasEntries = m.dataMode === 'block' && entries.length > 0;
  const data: Line[] = [];
  if (m.dataMode === 'block') data.push(same('data:'), ...entries.flatMap((e) => e.lines));
  else if (m.dataMode === 'null') data.push(same('data:'));
  else if (m.dataMode === 'flow') data.push({ text: 'data: {}', expected: 'data:' });
  else if (m.dataMode === 'tilde') data.push({ text: 'data: ~', expected: 'data:' });

  const lines: Line[] = [];
  if (m.docMarker) lines.push(same('---'));
  if (m.headComment) lines.push(same('# Variables substituted by Flux postBuild'));
  lines.push(same('apiVersion: v1'), same('kind: ConfigMap'));
  if (m.dataFirst) lines.push(...data, ...metadata);
  else lines.push(...metadata, ...data);
  if (m.trailer === 'comment') lines.push(same(''), same('# end of settings'));
  else if (m.trailer === 'blank') lines.push(same(''));
  else if (m.trailer === 'emptyDoc') lines.push(same('---'), same('# nothing here'));

  const missing = GEN_KEYS.filter((k) => !present.includes(k));
  const cnpgPresent = present.some((k) => k.startsWith('CNPG_'));
  let sectionLines = 0;
  if (missing.length > 0 && !cnpgPresent) {
    // blank + header after entries; header only under an empty `data:`; `data:` + header when missing
    sectionLines = hasEntries ? 2 : m.dataMode === 'missing' ? 2 : 1;
  }
  const addedCount = missing.length + (missing.includes('CNPG_OPERATOR_VERSION') ? 1 : 0) + sectionLines + renovateAdds;
  return { lines, ind, present, addedCount };
}

describe('patchClusterSettings properties', () => {
  test('only allowed lines change; values land; idempotent', () => {
    fc.assert(
      fc.property(settingsArb, (m) => {
        const built = buildSettings(m);
        const input = render(built.lines, m.framing);
        const values = m.values as Record<string, string>;
        const before = readClusterSettings(input, 'cs.yaml');

        const out = patchClusterSettings(input, 'cs.yaml', values);

        // parses cleanly (readClusterSettings refuses errors and warnings) and
        // holds the new values on top of the untouched old ones
        deepStrictEqual(readClusterSettings(out, 'cs.yaml'), { ...before, ...values });

        // line by line: input preserved in order, only allowed additions
        const missing = GEN_KEYS.filter((k) => !built.present.includes(k));
        const allowed = (l: string): boolean => {
          if (l === '' || l === 'data:') return true;
          if (!l.startsWith(built.ind) || l[built.ind.length] === ' ') return false;
          const t = l.trim();
          if (t === SECTION || t === RENOVATE_COMMENT) return true;
          return missing.some((k) => t === `${k}: ${JSON.stringify(values[k])}`);
        };
        const added = alignedAdditions(
          built.lines.map((l) => l.expected),
          outputLines(out, input, m.framing),
          allowed,
        );
        is(added.length, built.addedCount, 'number of added lines');

        // the renovate comment sits directly above the version
        const outLines = out.replace(/^\uFEFF/, '').split(m.framing.eol);
        const vi = outLines.findIndex((l) => l.trimStart().startsWith('CNPG_OPERATOR_VERSION:'));
        ok(/^\s*#.*renovate:/.test(outLines[vi - 1]), 'renovate comment above CNPG_OPERATOR_VERSION');

        is(patchClusterSettings(out, 'cs.yaml', values), out, 'idempotent');
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

// ---------------------------------------------------------------------------
// 00-crds.yaml
// ---------------------------------------------------------------------------

/** A key of a release: comment lines above it, its own line (unindented), lines below it (indented from keyCol). */
interface Field {
  pre: Line[];
  main: Line;
  post: (keyCol: number) => Line[];
}
const field = (main: Line, post: (keyCol: number) => Line[] = () => [], pre: Line[] = []): Field => ({ pre, main, post });

function itemLines(fields: readonly Field[], dashCol: number, gap: number): Line[] {
  const keyCol = dashCol + 1 + gap;
  const keyInd = ' '.repeat(keyCol);
  const dash = `${' '.repeat(dashCol)}-${' '.repeat(gap)}`;
  return fields.flatMap((f, i) => {
    const prefix = i === 0 ? dash : keyInd;
    return [
      ...f.pre.map((l) => ({ text: keyInd + l.text, expected: keyInd + l.expected })),
      { text: prefix + f.main.text, expected: prefix + f.main.expected },
      ...f.post(keyCol),
    ];
  });
}

const otherReleaseArb = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9]{1,10}$/),
  namespace: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), { nil: undefined }),
  oci: fc.boolean(),
  version: fc.oneof(versionArb, versionArb.map((v) => `v${v}`)),
  versionStyle: styleArb,
  nameComment: inlineCommentArb,
  set: fc.array(
    fc.record({
      name: fc.stringMatching(/^[a-z][a-zA-Z]{0,8}(\.[a-z][a-zA-Z]{0,8}){0,2}$/),
      value: fc.constantFrom('true', 'false', '1', 'abc', '"quoted"'),
      comment: inlineCommentArb,
    }),
    { maxLength: 3 },
  ),
  setIndent: fc.constantFrom(0, 2),
  before: fc.constantFrom('none', 'blank', 'comment'),
});
type OtherRelease = ArbType<typeof otherReleaseArb>;

function otherReleaseFields(r: OtherRelease): Field[] {
  const fields = [field(same(`name: ${r.name}${r.nameComment}`))];
  if (r.namespace) fields.push(field(same(`namespace: ${r.namespace}`)));
  fields.push(field(same(`chart: ${r.oci ? `oci://ghcr.io/${r.name}/charts/${r.name}` : `${r.name}/${r.name}`}`)));
  fields.push(field(same(`version: ${styled(r.version, r.versionStyle)}`)));
  if (r.set.length > 0) {
    fields.push(
      field(same('set:'), (keyCol) =>
        r.set.flatMap((s) => {
          const d = ' '.repeat(keyCol + r.setIndent);
          return [same(`${d}- name: ${s.name}`), same(`${d}  value: ${s.value}${s.comment}`)];
        }),
      ),
    );
  }
  return fields;
}

const STALE_RENOVATE = '# renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg-crds';

const cnpgArb = fc.record({
  name: fc.constantFrom('cloudnative-pg', 'cloudnative-pg-crds'),
  chart: fc.constantFrom(
    CNPG_CHART_URL,
    `${CNPG_CHART_URL}/`,
    'oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg-crds',
    'cloudnative-pg/cloudnative-pg',
    'cnpg/cloudnative-pg-crds',
    null,
  ),
  chartStyle: styleArb,
  version: fc.option(versionArb, { nil: null, freq: 4 }),
  versionStyle: styleArb,
  versionComment: inlineCommentArb,
  renovate: fc.constantFrom('none', 'correct', 'other'),
  values: fc.boolean(),
  order: fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }),
  pos: fc.nat(),
});
type CnpgModel = ArbType<typeof cnpgArb>;

const helmfileArb = fc.record({
  framing: framingArb,
  helmDefaults: fc.boolean(),
  environments: fc.boolean(),
  releasesDoc: fc.boolean(),
  repositories: fc.boolean(),
  commonLabels: fc.boolean(),
  docOrder: fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }),
  firstMarker: fc.boolean(),
  headComment: fc.boolean(),
  dashCol: fc.constantFrom(0, 2),
  gap: fc.constantFrom(1, 1, 3),
  others: fc.array(otherReleaseArb, { minLength: 1, maxLength: 4 }),
  cnpg: fc.option(cnpgArb, { nil: null }),
  trailingComment: fc.boolean(),
  version: versionArb,
});
type HelmfileModel = ArbType<typeof helmfileArb>;

interface BuiltHelmfile {
  lines: Line[];
  /** The cnpg release exists, or lines are appended to an existing `releases:`. */
  mode: 'edit' | 'append' | 'newDoc';
  addedCount: number;
}

function cnpgFields(c: CnpgModel, version: string): { fields: Field[]; added: number } {
  // `name: cloudnative-pg` without a chart would not be recognised: keep a chart then.
  const chart = c.chart === null && c.name !== 'cloudnative-pg-crds' ? CNPG_CHART_URL : c.chart;
  const byKey: (Field | null)[] = [
    field(same(`name: ${c.name}`)),
    field(same('namespace: cnpg-system')),
    chart === null
      ? null
      : field({ text: `chart: ${styled(chart, c.chartStyle)}`, expected: `chart: ${styled(CNPG_CHART_URL, c.chartStyle)}` }),
    null,
    c.values
      ? field(same('values:'), (k) => [same(`${' '.repeat(k + 2)}- crds:`), same(`${' '.repeat(k + 6)}create: true`)])
      : null,
  ];
  let added = chart === null ? 1 : 0;
  if (c.version === null) {
    added += 2;
  } else {
    const pre: Line[] = [];
    if (c.renovate === 'correct') pre.push(same(RENOVATE_COMMENT));
    else if (c.renovate === 'other') pre.push({ text: STALE_RENOVATE, expected: RENOVATE_COMMENT });
    else added += 1;
    byKey[3] = field(
      {
        text: `version: ${styled(c.version, c.versionStyle)}${c.versionComment}`,
        expected: `version: ${styled(version, c.versionStyle)}${c.versionComment}`,
      },
      () => [],
      pre,
    );
  }
  const fields = c.order.map((i) => byKey[i]).filter((f): f is Field => f !== null);
  return { fields, added };
}

function buildHelmfile(m: HelmfileModel): BuiltHelmfile {
  const docs: Line[][] = [];
  const docOf: Line[][] = [[], [], []];
  if (m.helmDefaults) {
    docOf[0] = [
      same('helmDefaults:'),
      same("  args: ['--include-crds', '--no-hooks']  # template only"),
      same('  postRenderer: bash'),
    ];
  }
  if (m.environments) {
    docOf[1] = [same('environments:'), same('  default:'), same('    values:'), same('      - cluster: home # the only one')];
  }
  let mode: BuiltHelmfile['mode'] = 'newDoc';
  let addedCount = 7;
  if (m.releasesDoc || (!m.helmDefaults && !m.environments)) {
    const rel: Line[] = [];
    if (m.repositories) rel.push(same('repositories:'), same('  - name: cnpg'), same('    url: https://cloudnative-pg.github.io/charts'));
    rel.push(same('releases:'));
    const items: Line[][] = m.others.map((r) => {
      const pre = r.before === 'blank' ? [same('')] : r.before === 'comment' ? [same(`${' '.repeat(m.dashCol)}# ${r.name}`)] : [];
      return [...pre, ...itemLines(otherReleaseFields(r), m.dashCol, m.gap)];
    });
    if (m.cnpg) {
      const { fields, added } = cnpgFields(m.cnpg, m.version);
      items.splice(m.cnpg.pos % (items.length + 1), 0, itemLines(fields, m.dashCol, m.gap));
      mode = 'edit';
      addedCount = added;
    } else {
      mode = 'append';
      addedCount = 5;
    }
    rel.push(...items.flat());
    if (m.commonLabels) rel.push(same('commonLabels:'), same('  tier: crds'));
    docOf[2] = rel;
  }
  for (const i of m.docOrder) if (docOf[i].length > 0) docs.push(docOf[i]);

  const lines: Line[] = [];
  if (m.headComment) lines.push(same('# CRDs first'));
  docs.forEach((d, i) => {
    if (i > 0 || m.firstMarker) lines.push(same('---'));
    lines.push(...d);
  });
  if (m.trailingComment) lines.push(same(''), same('# end'));
  return { lines, mode, addedCount };
}

interface HelmfileParts {
  /** Releases other than the CloudNativePG one, as plain JS. */
  others: unknown[];
  /** Top-level keys other than `releases`, per document, as plain JS. */
  rest: unknown[];
  cnpg: Record<string, unknown>[];
  /** 0-based line of the `version:` key of the (last) CloudNativePG release. */
  versionLine: number;
}

function helmfileParts(text: string): HelmfileParts {
  const body = text.replace(/^\uFEFF/, '');
  const parts: HelmfileParts = { others: [], rest: [], cnpg: [], versionLine: -1 };
  for (const doc of parseAllDocuments(body)) {
    if (doc.errors.length > 0 || doc.warnings.length > 0) throw new Error(`output does not parse cleanly: ${doc.errors[0] ?? doc.warnings[0]}`);
    const js = doc.toJS() as Record<string, unknown> | null;
    if (!js) continue;
    const { releases, ...restKeys } = js as { releases?: Record<string, unknown>[] };
    if (Object.keys(restKeys).length > 0) parts.rest.push(restKeys);
    const nodes = doc.get('releases');
    (releases ?? []).forEach((r, i) => {
      const chart = String(r.chart ?? '').replace(/\/+$/, '');
      if (r.name !== 'cloudnative-pg-crds' && !/\/cloudnative-pg(-crds)?$/.test(chart)) {
        parts.others.push(r);
        return;
      }
      parts.cnpg.push(r);
      const item = isSeq(nodes) ? nodes.items[i] : undefined;
      const key = isMap(item) ? (item.items.find((p) => isScalar(p.key) && p.key.value === 'version')?.key as Scalar | undefined) : undefined;
      if (key?.range) parts.versionLine = body.slice(0, key.range[0]).split('\n').length - 1;
    });
  }
  return parts;
}

describe('patchCrdsHelmfile properties', () => {
  test('only allowed lines change; release points at the chart and version; idempotent', () => {
    fc.assert(
      fc.property(helmfileArb, (m) => {
        const built = buildHelmfile(m);
        const input = render(built.lines, m.framing);
        const v = m.version;

        const out = patchCrdsHelmfile(input, '00-crds.yaml', v);

        const before = helmfileParts(input);
        const after = helmfileParts(out);
        deepStrictEqual(after.others, before.others);
        deepStrictEqual(after.rest, before.rest);
        is(after.cnpg.length, 1, 'one cnpg release');
        is(after.cnpg[0].chart, CNPG_CHART_URL, 'chart');
        is(String(after.cnpg[0].version), v, 'version');
        is(readCrdsHelmfileVersion(out, '00-crds.yaml'), v, 'readCrdsHelmfileVersion');

        const keyCol = m.dashCol + 1 + m.gap;
        const allowed = (l: string): boolean => {
          const t = l.trim();
          return (
            t === RENOVATE_COMMENT ||
            t === '---' ||
            t === 'releases:' ||
            /^-\s+name: cloudnative-pg$/.test(t) ||
            t === 'namespace: cnpg-system' ||
            t === `chart: ${CNPG_CHART_URL}` ||
            t === `version: ${v}`
          );
        };
        const outLines = outputLines(out, input, m.framing);
        const added = alignedAdditions(
          built.lines.map((l) => l.expected),
          outLines,
          allowed,
        );
        is(added.length, built.addedCount, 'number of added lines');

        // layout of added lines follows the existing items
        const dash = built.mode === 'newDoc' ? '  - ' : `${' '.repeat(m.dashCol)}-${' '.repeat(m.gap)}`;
        const kInd = built.mode === 'newDoc' ? '    ' : ' '.repeat(keyCol);
        const lead = (l: string): string => /^ */.exec(l)![0];
        for (const i of added) {
          const l = outLines[i];
          if (/^\s*-\s/.test(l)) is(l, `${dash}name: cloudnative-pg`, 'new item dash line');
          else if (l.trim() === RENOVATE_COMMENT) is(lead(l), lead(outLines[i + 1]), 'renovate comment indentation');
          else if (l !== '---' && l !== 'releases:') is(lead(l), kInd, 'new key indentation');
        }

        // renovate comment directly above the version line
        const lines = out.replace(/^\uFEFF/, '').split(m.framing.eol);
        const vi = after.versionLine;
        ok(/^\s*(-\s+)?version: /.test(lines[vi]), 'version line found');
        is(lines[vi - 1].trim(), RENOVATE_COMMENT, 'renovate comment above version');

        is(patchCrdsHelmfile(out, '00-crds.yaml', v), out, 'idempotent');
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

// ---------------------------------------------------------------------------
// kustomization.yaml
// ---------------------------------------------------------------------------

const kustomizationArb = fc.record({
  framing: framingArb,
  dashCol: fc.constantFrom(0, 2),
  flow: fc.boolean(),
  entries: fc.uniqueArray(fc.stringMatching(/^(\.\/)?[a-z][a-z0-9-]{0,8}(\/[a-z][a-z0-9-]{0,8}){0,2}(\/ks)?\.yaml$/), {
    maxLength: 5,
    selector: (e) => e.replace(/^\.\//, ''),
  }),
  comments: fc.array(inlineCommentArb, { minLength: 5, maxLength: 5 }),
  listed: fc.constantFrom('no', 'plain', 'dotted'),
  pos: fc.nat(),
  namespace: fc.boolean(),
});

describe('addKustomizationResource properties', () => {
  test('adds the entry exactly once, preserving every other line', () => {
    const entry = 'cloudnative-pg/operator/ks.yaml';
    fc.assert(
      fc.property(kustomizationArb, (m) => {
        const entries = m.entries.filter((e) => e.replace(/^\.\//, '') !== entry);
        if (m.listed !== 'no') entries.splice(m.pos % (entries.length + 1), 0, m.listed === 'dotted' ? `./${entry}` : entry);
        const lines: Line[] = [same('---'), same('apiVersion: kustomize.config.k8s.io/v1beta1'), same('kind: Kustomization')];
        if (m.namespace) lines.push(same('namespace: databases'));
        const flowLine = m.flow || entries.length === 0;
        if (flowLine) {
          lines.push(same(`resources: [${entries.join(', ')}]`));
        } else {
          lines.push(same('resources:'));
          entries.forEach((e, i) => lines.push(same(`${' '.repeat(m.dashCol)}- ${e}${m.comments[i]}`)));
        }
        lines.push(same('components:'), same('  - ../../components/common'));
        const input = render(lines, m.framing);
        const out = addKustomizationResource(input, KS, entry);
        if (m.listed !== 'no') {
          expect(out).toBe(input);
          return;
        }
        // The entry follows the file's style: `./` when every listed resource has it.
        const added = entries.length > 0 && entries.every((e) => e.startsWith('./')) ? `./${entry}` : entry;
        const js = parseAllDocuments(out.replace(/^\uFEFF/, ''))[0].toJS() as { resources: string[] };
        expect(js.resources).toEqual([...entries, added]);
        const outLines = outputLines(out, input, m.framing);
        if (flowLine) {
          const expected = lines.map((l) => l.text);
          const i = expected.findIndex((l) => l.startsWith('resources:'));
          expected[i] = `resources: [${[...entries, added].join(', ')}]`;
          expect(outLines).toEqual(expected);
        } else {
          const additions = alignedAdditions(
            lines.map((l) => l.expected),
            outLines,
            (l) => l === `${' '.repeat(m.dashCol)}- ${added}`,
          );
          expect(additions).toHaveLength(1);
        }
        expect(addKustomizationResource(out, KS, entry)).toBe(out);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});


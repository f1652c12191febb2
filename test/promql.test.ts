/**
 * Every alert the generator writes, read with Prometheus' own PromQL grammar (@prometheus-io/lezer-promql):
 * it parses with zero error nodes as rendered and after Flux's postBuild substitution, every metric it names
 * exists upstream with every label it matches or groups by, label values the source enumerates are among them,
 * the webhook filter matches exactly the chart's webhooks, and the README lists each metric with its source.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { renderGenerated } from '../src/core/plan.js';
import { DEFAULT_LAYOUT } from '../src/core/layout.js';
import { DEFAULT_ANSWERS, type Answers } from '../src/core/settings.js';
import { TARGET_LABELS, metricCatalogue } from './helpers/metrics.js';
import { analysePromql, unquotePromqlString } from './helpers/promql.js';
import { CHART_VERSIONS, REPO_ROOT, fluxSubstitute, upstreamFile } from './helpers/upstream.js';

interface Rule {
  alert: string;
  expr: string;
}

function rulesIn(text: string): Rule[] {
  const out: Rule[] = [];
  for (const d of parseAllDocuments(text)) {
    const obj = d.toJS() as { kind?: string; spec?: { groups?: { rules?: Rule[] }[] } } | null;
    if (!obj || (obj.kind !== 'VMRule' && obj.kind !== 'PrometheusRule')) continue;
    for (const g of obj.spec?.groups ?? []) for (const r of g.rules ?? []) out.push({ alert: r.alert, expr: String(r.expr) });
  }
  return out;
}

const VARIANTS: { title: string; answers: Answers }[] = [
  { title: 'VictoriaMetrics, cnpg-system', answers: { ...DEFAULT_ANSWERS } },
  { title: 'Prometheus-Operator, namespace databases, labels', answers: { ...DEFAULT_ANSWERS, monitoring: 'prometheus-operator', namespace: 'databases', monitoringLabels: { release: 'kube-prometheus-stack' } } },
];

const SETTINGS_VARS = { CNPG_OPERATOR_VERSION: '0.26.0', CNPG_OPERATOR_REPLICAS: '3' };

function ruleFile(answers: Answers): string {
  const files = renderGenerated(answers, DEFAULT_LAYOUT);
  const name = [...files.keys()].find((p) => p.endsWith('/prometheusrule.yaml'));
  if (!name) throw new Error('no prometheusrule.yaml rendered');
  return files.get(name)!;
}

/** The operator's webhook names from the chart's webhook configuration templates. */
function chartWebhookNames(chart: string): string[] {
  const names: string[] = [];
  for (const f of ['mutatingwebhookconfiguration.yaml', 'validatingwebhookconfiguration.yaml']) {
    // The `name:` keys of the `webhooks:` list items (two-space indent after the list's "- ").
    const list = upstreamFile(`cloudnative-pg-chart-${chart}/templates/${f}`).split(/^webhooks:$/m)[1] ?? '';
    for (const m of list.matchAll(/^  name: (\S+)$/gm)) names.push(m[1]);
  }
  return names;
}

describe('the PromQL checks catch what they are meant to catch', () => {
  test('syntax errors, an unknown function and an unsubstituted Flux variable are error nodes', () => {
    expect(analysePromql('sum by (name) (rate(x_total{a="b"}[5m])) > 0').errors).toEqual([]);
    for (const bad of ['sum by (name (rate(x[5m]))', 'rat(up[5m])', 'up{job="a"} < ${CNPG_OPERATOR_REPLICAS}', 'up{job="a} == 0', 'rate(x[5m] > 1']) {
      expect({ bad, errors: analysePromql(bad).errors.length > 0 }).toEqual({ bad, errors: true });
    }
  });

  test('selectors, matchers (unquoted), grouping labels and functions come from the tree', () => {
    const a = analysePromql('histogram_quantile(0.99, sum by (name, le) (rate(m_bucket{name=~".+\\\\.cnpg\\\\.io",type!=`x`}[5m]))) > on(job) group_left {__name__="up", job="n/s"}');
    expect(a.selectors).toEqual([
      { metric: 'm_bucket', matchers: [{ label: 'name', op: '=~', value: '.+\\.cnpg\\.io' }, { label: 'type', op: '!=', value: 'x' }] },
      { metric: 'up', matchers: [{ label: 'job', op: '=', value: 'n/s' }] },
    ]);
    expect(a.groupings).toEqual([{ kind: 'by', labels: ['name', 'le'], metrics: ['m_bucket'] }]);
    expect(a.functions).toEqual(['histogram_quantile', 'rate']);
    expect(unquotePromqlString('"a\\"b\\\\c"')).toBe('a"b\\c');
  });

  test('the catalogue knows the real metrics and not the story\'s invented ones', () => {
    const cat = metricCatalogue();
    for (const m of ['apiserver_admission_webhook_rejection_count', 'apiserver_admission_webhook_admission_duration_seconds_bucket', 'controller_runtime_webhook_requests_total', 'up']) expect(cat.has(m) ? m : `missing ${m}`).toBe(m);
    for (const m of ['cnpg_webhook_requests_total', 'cnpg_controller_reconciliation_errors_total', 'apiserver_admission_webhook_admission_duration_seconds']) expect(cat.has(m) ? `has ${m}` : m).toBe(m);
    expect(cat.get('controller_runtime_webhook_requests_total')!.labels).toEqual(['webhook', 'code']);
  });
});

describe.each(VARIANTS)('alert rules: $title', ({ answers }) => {
  const text = ruleFile(answers);
  const rules = rulesIn(text);
  const substituted = rulesIn(fluxSubstitute(text, SETTINGS_VARS).text);
  const catalogue = metricCatalogue();

  test('there are rules, and substitution leaves every expr as it was (no Flux variable in PromQL)', () => {
    expect(rules.length).toBeGreaterThanOrEqual(8);
    expect(substituted).toEqual(rules);
    expect(rules.filter((r) => r.expr.includes('$')).map((r) => r.alert)).toEqual([]);
  });

  test('every expr parses with zero error nodes, as rendered and after Flux substitution', () => {
    const problems = [...rules, ...substituted].flatMap((r) => analysePromql(r.expr).errors.map((e) => `${r.alert}: ${e}`));
    expect(problems).toEqual([]);
  });

  test('every metric exists upstream, with every label matched or grouped by, and enumerated values only', () => {
    const problems: string[] = [];
    for (const r of rules) {
      const a = analysePromql(r.expr);
      for (const s of a.selectors) {
        const info = catalogue.get(s.metric);
        if (!info) {
          problems.push(`${r.alert}: ${s.metric} is not exported upstream`);
          continue;
        }
        const known = new Set([...info.labels, ...TARGET_LABELS[info.exporter]]);
        for (const m of s.matchers) {
          if (!known.has(m.label)) problems.push(`${r.alert}: ${s.metric} has no label ${m.label} (has ${[...known].join(', ')})`);
          const allowed = info.values?.[m.label];
          if (allowed && info.labels.includes(m.label)) {
            const ok = m.op === '=' ? allowed.includes(m.value) : m.op === '=~' ? allowed.some((v) => new RegExp(`^(?:${m.value})$`).test(v)) : true;
            if (!ok) problems.push(`${r.alert}: ${s.metric}{${m.label}${m.op}"${m.value}"} matches none of ${allowed.join(', ')}`);
          }
        }
      }
      for (const g of a.groupings.filter((x) => x.kind === 'by')) {
        for (const label of g.labels) {
          const has = g.metrics.some((m) => {
            const info = catalogue.get(m);
            return info !== undefined && (info.labels.includes(label) || TARGET_LABELS[info.exporter].includes(label));
          });
          if (!has) problems.push(`${r.alert}: by (${label}) but none of ${g.metrics.join(', ')} carries it`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('API-server webhook rules select exactly the operator\'s webhooks (every chart webhook, nothing else)', () => {
    const names = [...new Set(CHART_VERSIONS.filter((c) => c !== '0.26.1').flatMap(chartWebhookNames))];
    expect(names).toEqual(expect.arrayContaining(['mcluster.cnpg.io', 'vcluster.cnpg.io', 'vpooler.cnpg.io', 'mbackup.cnpg.io']));
    const apiserver = rules.flatMap((r) => analysePromql(r.expr).selectors.filter((s) => s.metric.startsWith('apiserver_')).map((s) => ({ alert: r.alert, s })));
    expect(apiserver.length).toBeGreaterThanOrEqual(2);
    for (const { alert, s } of apiserver) {
      const name = s.matchers.filter((m) => m.label === 'name');
      expect({ alert, ops: name.map((m) => m.op) }).toEqual({ alert, ops: ['=~'] });
      const re = new RegExp(`^(?:${name[0].value})$`); // Prometheus anchors label regexes
      expect({ alert, unmatched: names.filter((n) => !re.test(n)) }).toEqual({ alert, unmatched: [] });
      expect({ alert, foreign: ['cnpg.io', 'vclusterxcnpg.io', 'vcluster.cnpg.io.evil.example', 'validate.kyverno.svc', 'vcluster.cnpgxio'].filter((n) => re.test(n)) }).toEqual({ alert, foreign: [] });
      expect(s.matchers.some((m) => m.label === 'job')).toBe(false); // the API server is its own scrape job
    }
  });

  test('the failed-call rule counts calling_webhook_error rejections; no rule relies on the webhook HTTP code', () => {
    const failed = rules.filter((r) =>
      analysePromql(r.expr).selectors.some((s) => s.metric === 'apiserver_admission_webhook_rejection_count' && s.matchers.some((m) => m.label === 'error_type' && m.op === '=' && m.value === 'calling_webhook_error')),
    );
    expect(failed.map((r) => r.alert)).toHaveLength(1);
    const codeRules = rules.filter((r) => analysePromql(r.expr).selectors.some((s) => s.metric === 'controller_runtime_webhook_requests_total' && s.matchers.some((m) => m.label === 'code')));
    expect(codeRules.map((r) => r.alert)).toEqual([]);
  });

  test('the README lists every metric the rules use, with its source', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const used = [...new Set(rules.flatMap((r) => analysePromql(r.expr).selectors.map((s) => s.metric)))];
    // A row `| \`<metric>\` | labels | exported by | source |` whose source cell is not empty (histograms by base name).
    const rows = readme.split('\n').filter((l) => l.startsWith('| `'));
    const sourced = (row: string) => {
      const cells = row.split('|').slice(1, -1).map((c) => c.trim());
      return cells.length >= 4 && cells[3] !== '';
    };
    const base = (m: string) => (catalogue.get(m)?.type === 'histogram' ? m.replace(/_(bucket|sum|count)$/, '') : m);
    const missing = used.filter((m) => !rows.some((row) => row.startsWith(`| \`${base(m)}\` |`) && sourced(row)));
    expect(missing).toEqual([]);
  });
});

test('the rules file is the same template for both stacks except apiVersion/kind and labels', () => {
  const a = ruleFile({ ...DEFAULT_ANSWERS });
  const b = ruleFile({ ...DEFAULT_ANSWERS, monitoring: 'prometheus-operator' });
  expect(rulesIn(a)).toEqual(rulesIn(b));
  expect(readdirSync(path.join(REPO_ROOT, 'templates'))).toContain('prometheusrule.yaml.ejs');
});

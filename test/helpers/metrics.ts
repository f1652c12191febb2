/**
 * Every metric an alert may use, with its labels and where that is written upstream. Two lists are read from the
 * vendored extracts (test/upstream/*.tsv, see SOURCES.md); the rest is the small checked-in list below, one source
 * per metric. The README's metrics table says the same.
 */
import { upstreamFile } from './upstream.js';

/** Who exports the series, which decides the target labels a scrape adds (job, instance, ...). */
export type Exporter = 'operator' | 'apiserver' | 'kube-state-metrics' | 'prometheus';

export interface MetricInfo {
  metric: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  labels: string[];
  exporter: Exporter;
  source: string;
  /** Label values the source enumerates (only where it does). */
  values?: Record<string, string[]>;
}

/** Labels the scrape adds to every series of a target (Prometheus' job/instance; pod-scrape target labels). */
export const TARGET_LABELS: Record<Exporter, string[]> = {
  operator: ['job', 'instance', 'namespace', 'pod', 'container', 'endpoint'],
  apiserver: ['job', 'instance'],
  'kube-state-metrics': ['job', 'instance'],
  prometheus: [],
};

const CR = 'kubernetes-sigs/controller-runtime v0.21.0';
const KSM = 'kubernetes/kube-state-metrics v2';

/** The checked-in part: metrics whose source file is not vendored under test/upstream. */
export const OTHER_METRICS: MetricInfo[] = [
  {
    metric: 'up',
    type: 'gauge',
    labels: ['job', 'instance'],
    exporter: 'prometheus',
    source: 'Prometheus docs, "Jobs and instances": up{job, instance} is written for every scrape (VictoriaMetrics vmagent does the same)',
  },
  {
    metric: 'controller_runtime_reconcile_errors_total',
    type: 'counter',
    labels: ['controller'],
    exporter: 'operator',
    source: `${CR} pkg/internal/controller/metrics/metrics.go (ReconcileErrors)`,
  },
  {
    metric: 'controller_runtime_reconcile_total',
    type: 'counter',
    labels: ['controller', 'result'],
    exporter: 'operator',
    source: `${CR} pkg/internal/controller/metrics/metrics.go (ReconcileTotal)`,
  },
  {
    metric: 'controller_runtime_webhook_panics_total',
    type: 'counter',
    labels: [],
    exporter: 'operator',
    source: `${CR} pkg/webhook/admission/metrics/metrics.go line 28 (test/upstream/SOURCES.md notes)`,
  },
  {
    metric: 'leader_election_master_status',
    type: 'gauge',
    labels: ['name'],
    exporter: 'operator',
    source: `${CR} pkg/metrics/leaderelection.go (leaderGauge); the operator's lease name db9c8771.cnpg.io per FACTS.md`,
  },
  {
    metric: 'kube_deployment_status_replicas_available',
    type: 'gauge',
    labels: ['namespace', 'deployment'],
    exporter: 'kube-state-metrics',
    source: `${KSM} docs/metrics/workload/deployment-metrics.md`,
  },
  {
    metric: 'kube_deployment_spec_replicas',
    type: 'gauge',
    labels: ['namespace', 'deployment'],
    exporter: 'kube-state-metrics',
    source: `${KSM} docs/metrics/workload/deployment-metrics.md`,
  },
  {
    metric: 'kube_pod_container_status_restarts_total',
    type: 'counter',
    labels: ['namespace', 'pod', 'uid', 'container'],
    exporter: 'kube-state-metrics',
    source: `${KSM} docs/metrics/workload/pod-metrics.md`,
  },
];

function readTsv(rel: string): Record<string, string>[] {
  const [head, ...rows] = upstreamFile(rel).trim().split('\n').map((l) => l.split('\t'));
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

/** A histogram is scraped as <name>_bucket{..., le}, <name>_sum and <name>_count. */
function expand(info: MetricInfo): MetricInfo[] {
  if (info.type !== 'histogram') return [info];
  return [
    { ...info, metric: `${info.metric}_bucket`, labels: [...info.labels, 'le'] },
    { ...info, metric: `${info.metric}_sum` },
    { ...info, metric: `${info.metric}_count` },
  ];
}

/** metric name -> what upstream says about it. */
export function metricCatalogue(): Map<string, MetricInfo> {
  const all: MetricInfo[] = [...OTHER_METRICS];
  const crFile = 'controller-runtime-v0.21.0/webhook-metrics.tsv';
  for (const r of readTsv(crFile)) {
    all.push({ metric: r.metric, type: r.type as MetricInfo['type'], labels: r.labels ? r.labels.split(',') : [], exporter: 'operator', source: `${CR} pkg/webhook/internal/metrics/metrics.go line ${r.line} (test/upstream/${crFile})` });
  }
  const apiFile = 'kubernetes-apiserver-v0.33.13/admission-metrics.tsv';
  for (const r of readTsv(apiFile)) {
    all.push({
      metric: r.metric,
      type: r.type as MetricInfo['type'],
      labels: r.labels ? r.labels.split(',') : [],
      exporter: 'apiserver',
      source: `kubernetes/apiserver v0.33.13 pkg/admission/metrics/metrics.go line ${r.line}, ${r.stability} (test/upstream/${apiFile})`,
      // Enumerated in the same file (test/upstream/SOURCES.md notes); `type` for webhooks per the dispatchers.
      values: { error_type: ['calling_webhook_error', 'apiserver_internal_error', 'no_error'], type: ['validating', 'admit'] },
    });
  }
  const out = new Map<string, MetricInfo>();
  for (const m of all.flatMap(expand)) {
    if (out.has(m.metric)) throw new Error(`metric ${m.metric} listed twice`);
    out.set(m.metric, m);
  }
  return out;
}

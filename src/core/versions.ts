/**
 * Chart version -> operator (appVersion) version, from the cloudnative-pg chart's Chart.yaml at each tag.
 * A chart version is not an operator version: `1.27.0` in the chart slot is a real, common mistake.
 */
export const CHART_TO_OPERATOR: Readonly<Record<string, string>> = {
  '0.22.0': '1.24.0',
  '0.22.1': '1.24.1',
  '0.23.0': '1.25.0',
  '0.23.1': '1.25.0',
  '0.23.2': '1.25.1',
  '0.24.0': '1.26.0',
  '0.25.0': '1.26.1',
  '0.26.0': '1.27.0',
  '0.26.1': '1.27.1',
  '0.27.0': '1.28.0',
  '0.27.1': '1.28.1',
  '0.28.0': '1.29.0',
  '0.28.1': '1.29.1',
  '0.28.2': '1.29.1',
  '0.28.3': '1.29.1',
  '0.29.0': '1.30.0',
};

export const EXACT_VERSION = /^(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})$/;

export function operatorVersionOf(chart: string): string | undefined {
  return Object.hasOwn(CHART_TO_OPERATOR, chart) ? CHART_TO_OPERATOR[chart] : undefined;
}

/** Chart versions that ship the given operator version, newest first (empty when it is not an operator version). */
export function chartsShipping(operator: string): string[] {
  const charts = Object.keys(CHART_TO_OPERATOR).filter((chart) => CHART_TO_OPERATOR[chart] === operator);
  // Stryker disable next-line MethodExpression: equivalent today, the table is written oldest first (versions.kinds pins it)
  charts.sort(compareVersions);
  return charts.reverse();
}

/** Numeric comparison of exact X.Y.Z versions. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  // Stryker disable next-line EqualityOperator: a fourth part is always 0 - 0 (X.Y.Z versions; X.Y reads as X.Y.0)
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** "0.26.1 (operator 1.27.1)" or "0.30.0 (operator unknown)". */
export function describeChart(chart: string): string {
  return `${chart} (operator ${operatorVersionOf(chart) ?? 'unknown'})`;
}

/** The cloudnative-pg chart: CRDs and operator come from this one chart (there is no separate CRDs chart). */
export const CNPG_CHART_URL = 'oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg';
/** The comment Renovate's regex manager (README) finds above each version line the generator owns. */
export const RENOVATE_COMMENT = '# renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg';

/**
 * The `kubeVersion` constraint each chart's Chart.yaml declares, recorded only where a source was read
 * (cloudnative-pg/charts charts/cloudnative-pg/Chart.yaml at the tag cloudnative-pg-v<chart>; copies in
 * test/upstream/cloudnative-pg-chart-<chart>/Chart.yaml). `null`: the chart declares none. A chart missing here was
 * not checked. Helm refuses to install a chart whose kubeVersion the cluster does not satisfy.
 */
export const CHART_KUBE_VERSION: Readonly<Record<string, string | null>> = {
  '0.26.0': null,
  '0.26.1': null,
  '0.29.0': '>=1.29.0-0',
};

/** Every Kubernetes minor this generator's manifests are meant for; a chart asking for more than this is reported. */
export const KUBE_BASELINE = '1.28';

/**
 * A one-line note when the chart needs a Kubernetes newer than KUBE_BASELINE, e.g.
 * `chart 0.29.0 needs Kubernetes >= 1.29` (undefined when the chart declares nothing, or was not checked). `table`: for
 * tests, the constraints as Chart.yaml files write them.
 */
export function kubeRequirement(chart: string, table: Readonly<Record<string, string | null>> = CHART_KUBE_VERSION): string | undefined {
  const constraint = Object.hasOwn(table, chart) ? table[chart] : null;
  if (constraint === null) return undefined;
  const m = /^>=\s*v?(\d+)\.(\d+)(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?$/.exec(constraint.trim());
  if (!m) return `chart ${chart} declares kubeVersion ${JSON.stringify(constraint)}`;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const [baseMajor, baseMinor] = KUBE_BASELINE.split('.').map(Number);
  if (major < baseMajor || (major === baseMajor && minor <= baseMinor)) return undefined;
  return `chart ${chart} needs Kubernetes >= ${major}.${minor}`;
}

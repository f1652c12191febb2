import { describe, test, expect } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import { FileError } from '../src/core/errors.js';
import { addKustomizationResource } from '../src/core/patch/kustomization-list.js';
import { patchClusterSettings, readClusterSettings } from '../src/core/patch/cluster-settings.js';
import { patchCrdsHelmfile, readCrdsHelmfileVersion } from '../src/core/patch/crds-helmfile.js';
import { CNPG_CHART_URL, RENOVATE_COMMENT } from '../src/core/versions.js';

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

/**
 * Line diff (LCS, aligning equal lines as late as possible): for each changed
 * hunk, its `- old` lines then its `+ new` lines.
 */
function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // lcs[i][j]: LCS length of a[0..i) and b[0..j)
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      lcs[i][j] = a[i - 1] === b[j - 1] ? lcs[i - 1][j - 1] + 1 : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
    }
  }
  const hunks: string[][] = [];
  let del: string[] = [];
  let add: string[] = [];
  const flush = (): void => {
    if (del.length || add.length) hunks.unshift([...del.reverse(), ...add.reverse()]);
    del = [];
    add = [];
  };
  let i = a.length;
  let j = b.length;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && a[i - 1] === b[j - 1]) {
      flush();
      i--;
      j--;
    } else if (j > 0 && (i === 0 || lcs[i][j - 1] >= lcs[i - 1][j])) {
      add.push(`+ ${b[--j]}`);
    } else {
      del.push(`- ${a[--i]}`);
    }
  }
  flush();
  return hunks.flat();
}

function expectFileError(fn: () => unknown, message: string, line?: number): FileError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(FileError);
  const err = caught as FileError;
  expect(err.message).toBe(message);
  expect(err.line).toBe(line);
  expect(err.message).not.toMatch(/\n/);
  return err;
}

const crlf = (s: string): string => s.replace(/\n/g, '\r\n');
const BOM = '\uFEFF';

const CS = 'kubernetes/flux/vars/cluster-settings.yaml';
const HF = 'bootstrap/helmfile.d/00-crds.yaml';
const KS = 'kubernetes/infrastructure/databases/kustomization.yaml';

const VALUES = { CNPG_OPERATOR_VERSION: '0.26.1', CNPG_OPERATOR_REPLICAS: '2', BLOCK_SC: 'ceph-block' };

// ---------------------------------------------------------------------------
// FileError
// ---------------------------------------------------------------------------

describe('FileError', () => {
  test('formats file:line: problem on one line', () => {
    const e = new FileError('a/b.yaml', 'bad\nthing', 7);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('FileError');
    expect(e.message).toBe('a/b.yaml:7: bad thing');
    expect(e.file).toBe('a/b.yaml');
    expect(e.line).toBe(7);
    expect(new FileError('a/b.yaml', 'is empty').message).toBe('a/b.yaml: is empty');
  });

  test('constants', () => {
    expect(CNPG_CHART_URL).toBe('oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg');
    expect(RENOVATE_COMMENT).toBe('# renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg');
  });
});

// ---------------------------------------------------------------------------
// cluster-settings.yaml
// ---------------------------------------------------------------------------

const SETTINGS = `---
# yaml-language-server: $schema=https://json.schemastore.org/configmap.json
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  # Network
  CLUSTER_DOMAIN: 'home.example.com'   # public zone
  TIMEZONE: "Europe/Paris"
  LB_RANGE: 10.0.0.100-10.0.0.150

  # Storage
  BLOCK_SC: ceph-block
  FILE_SC: 'ceph-filesystem'

  # CloudNativePG
  CNPG_OPERATOR_REPLICAS: 1 # was one
  CNPG_OPERATOR_VERSION: '0.25.0'

  # Apps
  APP_DOMAIN: apps.example.com
`;

const SETTINGS_PATCHED = `---
# yaml-language-server: $schema=https://json.schemastore.org/configmap.json
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  # Network
  CLUSTER_DOMAIN: 'home.example.com'   # public zone
  TIMEZONE: "Europe/Paris"
  LB_RANGE: 10.0.0.100-10.0.0.150

  # Storage
  BLOCK_SC: "ceph-block"
  FILE_SC: 'ceph-filesystem'

  # CloudNativePG
  CNPG_OPERATOR_REPLICAS: "2" # was one
  # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg
  CNPG_OPERATOR_VERSION: "0.26.1"

  # Apps
  APP_DOMAIN: apps.example.com
`;

/** No CNPG keys yet; a trailing comment after the data map. */
const SETTINGS_NO_CNPG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  # Network
  CLUSTER_DOMAIN: "home.example.com"
  TIMEZONE: Europe/Paris # tz database name

  # Storage
  FILE_SC: 'ceph-filesystem'   # CephFS

# keep this file small
`;

const SETTINGS_NO_CNPG_PATCHED = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  # Network
  CLUSTER_DOMAIN: "home.example.com"
  TIMEZONE: Europe/Paris # tz database name

  # Storage
  FILE_SC: 'ceph-filesystem'   # CephFS

  # CloudNativePG Operator
  # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg
  CNPG_OPERATOR_VERSION: "0.26.1"
  CNPG_OPERATOR_REPLICAS: "2"
  BLOCK_SC: "ceph-block"

# keep this file small
`;

describe('patchClusterSettings', () => {
  test('creates the file when missing', () => {
    const out = patchClusterSettings(undefined, CS, { CNPG_OPERATOR_VERSION: '0.26.0', CNPG_OPERATOR_REPLICAS: '2', BLOCK_SC: 'ceph-block' });
    expect(out).toBe(`---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  # CloudNativePG Operator
  # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg
  CNPG_OPERATOR_VERSION: "0.26.0"
  CNPG_OPERATOR_REPLICAS: "2"
  BLOCK_SC: "ceph-block"
`);
    expect(parse(out).data).toEqual({ CNPG_OPERATOR_VERSION: '0.26.0', CNPG_OPERATOR_REPLICAS: '2', BLOCK_SC: 'ceph-block' });
  });

  test('updates existing keys in place, whatever their quoting, keeping inline comments', () => {
    const out = patchClusterSettings(SETTINGS, CS, VALUES);
    expect(out).toBe(SETTINGS_PATCHED);
    expect(lineDiff(SETTINGS, out)).toEqual([
      '-   BLOCK_SC: ceph-block',
      '+   BLOCK_SC: "ceph-block"',
      '-   CNPG_OPERATOR_REPLICAS: 1 # was one',
      "-   CNPG_OPERATOR_VERSION: '0.25.0'",
      '+   CNPG_OPERATOR_REPLICAS: "2" # was one',
      `+   ${RENOVATE_COMMENT}`,
      '+   CNPG_OPERATOR_VERSION: "0.26.1"',
    ]);
    const data = parse(out).data;
    expect(data).toMatchObject(VALUES);
    expect(data.CLUSTER_DOMAIN).toBe('home.example.com');
    expect(readClusterSettings(out, CS)).toEqual({
      CLUSTER_DOMAIN: 'home.example.com',
      TIMEZONE: 'Europe/Paris',
      LB_RANGE: '10.0.0.100-10.0.0.150',
      BLOCK_SC: 'ceph-block',
      FILE_SC: 'ceph-filesystem',
      CNPG_OPERATOR_REPLICAS: '2',
      CNPG_OPERATOR_VERSION: '0.26.1',
      APP_DOMAIN: 'apps.example.com',
    });
  });

  test('double-quoted values already right are not touched', () => {
    const input = SETTINGS.replace('CNPG_OPERATOR_VERSION: \'0.25.0\'', 'CNPG_OPERATOR_VERSION: "0.26.1"');
    expect(lineDiff(input, patchClusterSettings(input, CS, VALUES))).toEqual([
      '-   BLOCK_SC: ceph-block',
      '+   BLOCK_SC: "ceph-block"',
      '-   CNPG_OPERATOR_REPLICAS: 1 # was one',
      '+   CNPG_OPERATOR_REPLICAS: "2" # was one',
      `+   ${RENOVATE_COMMENT}`,
    ]);
  });

  test('appends missing keys as a new section after the last data entry', () => {
    const out = patchClusterSettings(SETTINGS_NO_CNPG, CS, VALUES);
    expect(out).toBe(SETTINGS_NO_CNPG_PATCHED);
    expect(lineDiff(SETTINGS_NO_CNPG, out)).toEqual([
      '+ ',
      '+   # CloudNativePG Operator',
      `+   ${RENOVATE_COMMENT}`,
      '+   CNPG_OPERATOR_VERSION: "0.26.1"',
      '+   CNPG_OPERATOR_REPLICAS: "2"',
      '+   BLOCK_SC: "ceph-block"',
    ]);
    expect(parse(out).data).toMatchObject(VALUES);
  });

  test('continues an existing CNPG section without a new header', () => {
    const input = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
data:
  # CloudNativePG
  # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg
  CNPG_OPERATOR_VERSION: 0.25.0  # pinned

  # Storage
  FILE_SC: ceph-filesystem
`;
    const out = patchClusterSettings(input, CS, VALUES);
    expect(out).toBe(`apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
data:
  # CloudNativePG
  # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg
  CNPG_OPERATOR_VERSION: "0.26.1"  # pinned
  CNPG_OPERATOR_REPLICAS: "2"
  BLOCK_SC: "ceph-block"

  # Storage
  FILE_SC: ceph-filesystem
`);
  });

  test('fills a key with no value after its colon', () => {
    const input = `kind: ConfigMap
apiVersion: v1
metadata:
  name: cluster-settings
data:
    BLOCK_SC: ceph-block
    CNPG_OPERATOR_REPLICAS:   # set me
    # renovate: datasource=docker depName=something-else
    CNPG_OPERATOR_VERSION: ~
`;
    const out = patchClusterSettings(input, CS, VALUES);
    expect(lineDiff(input, out)).toEqual([
      '-     BLOCK_SC: ceph-block',
      '-     CNPG_OPERATOR_REPLICAS:   # set me',
      '+     BLOCK_SC: "ceph-block"',
      '+     CNPG_OPERATOR_REPLICAS: "2"   # set me',
      '-     CNPG_OPERATOR_VERSION: ~',
      '+     CNPG_OPERATOR_VERSION: "0.26.1"',
    ]);
  });

  test('adds a data block when there is none', () => {
    const input = `apiVersion: v1
kind: ConfigMap
metadata:
    name: cluster-settings   # shared by all Kustomizations
    namespace: flux-system
`;
    expect(patchClusterSettings(input, CS, VALUES)).toBe(`${input}data:
    # CloudNativePG Operator
    ${RENOVATE_COMMENT}
    CNPG_OPERATOR_VERSION: "0.26.1"
    CNPG_OPERATOR_REPLICAS: "2"
    BLOCK_SC: "ceph-block"
`);
    const empty = `${input}data: {}\n`;
    expect(lineDiff(empty, patchClusterSettings(empty, CS, VALUES))).toEqual([
      '- data: {}',
      '+ data:',
      '+     # CloudNativePG Operator',
      `+     ${RENOVATE_COMMENT}`,
      '+     CNPG_OPERATOR_VERSION: "0.26.1"',
      '+     CNPG_OPERATOR_REPLICAS: "2"',
      '+     BLOCK_SC: "ceph-block"',
    ]);
  });

  test('is idempotent and returns the very same text when nothing changes', () => {
    for (const input of [SETTINGS, SETTINGS_NO_CNPG, crlf(SETTINGS), BOM + SETTINGS_NO_CNPG]) {
      const once = patchClusterSettings(input, CS, VALUES);
      expect(patchClusterSettings(once, CS, VALUES)).toBe(once);
    }
    expect(patchClusterSettings(SETTINGS_PATCHED, CS, VALUES)).toBe(SETTINGS_PATCHED);
    const created = patchClusterSettings(undefined, CS, VALUES);
    expect(patchClusterSettings(created, CS, VALUES)).toBe(created);
  });

  test('keeps CRLF line endings, including on inserted lines', () => {
    expect(patchClusterSettings(crlf(SETTINGS), CS, VALUES)).toBe(crlf(SETTINGS_PATCHED));
    const out = patchClusterSettings(crlf(SETTINGS_NO_CNPG), CS, VALUES);
    expect(out).toBe(crlf(SETTINGS_NO_CNPG_PATCHED));
    expect(out.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  test('keeps a leading BOM and offsets stay right', () => {
    expect(patchClusterSettings(BOM + SETTINGS, CS, VALUES)).toBe(BOM + SETTINGS_PATCHED);
    expect(patchClusterSettings(BOM + crlf(SETTINGS_NO_CNPG), CS, VALUES)).toBe(BOM + crlf(SETTINGS_NO_CNPG_PATCHED));
    expect(readClusterSettings(BOM + SETTINGS, CS)).toMatchObject({ CNPG_OPERATOR_VERSION: '0.25.0', CNPG_OPERATOR_REPLICAS: '1' });
  });

  test('keeps a missing final newline', () => {
    const input = SETTINGS_NO_CNPG.replace('\n\n# keep this file small\n', '');
    const out = patchClusterSettings(input, CS, VALUES);
    expect(out.endsWith('BLOCK_SC: "ceph-block"')).toBe(true);
    expect(lineDiff(input, out)).toEqual([
      '+ ',
      '+   # CloudNativePG Operator',
      `+   ${RENOVATE_COMMENT}`,
      '+   CNPG_OPERATOR_VERSION: "0.26.1"',
      '+   CNPG_OPERATOR_REPLICAS: "2"',
      '+   BLOCK_SC: "ceph-block"',
    ]);
    const upd = SETTINGS.trimEnd();
    expect(patchClusterSettings(upd, CS, VALUES)).toBe(SETTINGS_PATCHED.trimEnd());
  });

  test('keeps other documents markers, trailing whitespace and tabs in comments', () => {
    const input = 'apiVersion: v1   \nkind: ConfigMap\t# tab\nmetadata:\n  name: cluster-settings\ndata:\n  A: b  \n---\n# nothing here\n';
    expect(lineDiff(input, patchClusterSettings(input, CS, { BLOCK_SC: 'x' }))).toEqual([
      '+ ',
      '+   # CloudNativePG Operator',
      '+   BLOCK_SC: "x"',
    ]);
  });

  test('quotes values so nothing can be injected', () => {
    const out = patchClusterSettings(SETTINGS, CS, { BLOCK_SC: 'a" # b\nc: d' });
    expect(out).toContain('  BLOCK_SC: "a\\" # b\\nc: d"');
    expect(parse(out).data.BLOCK_SC).toBe('a" # b\nc: d');
  });

  describe('refusals', () => {
    test('invalid YAML', () => {
      expectFileError(
        () => patchClusterSettings('kind: ConfigMap\nmetadata:\n  name: [cluster-settings\ndata:\n  A: b\n', CS, VALUES),
        `${CS}:4: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
        4,
      );
    });

    test('duplicate key, with its line', () => {
      const input = SETTINGS.replace('  FILE_SC:', '  TIMEZONE: UTC\n  FILE_SC:');
      expectFileError(() => patchClusterSettings(input, CS, VALUES), `${CS}:16: duplicate key TIMEZONE`, 16);
      expectFileError(() => readClusterSettings(input, CS), `${CS}:16: duplicate key TIMEZONE`, 16);
    });

    test('a Secret named cluster-settings', () => {
      const input = SETTINGS.replace('kind: ConfigMap', 'kind: Secret');
      expectFileError(
        () => patchClusterSettings(input, CS, VALUES),
        `${CS}:4: is a Secret, not a ConfigMap; expected a ConfigMap named cluster-settings in namespace flux-system`,
        4,
      );
    });

    test('empty, blank and comment-only files', () => {
      for (const input of ['', '  \n\n', '# nothing yet\n', '---\n', BOM]) {
        expectFileError(
          () => patchClusterSettings(input, CS, VALUES),
          `${CS}: is empty; expected a ConfigMap named cluster-settings in namespace flux-system`,
        );
      }
    });

    test('two documents', () => {
      const input = `${SETTINGS}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n`;
      expectFileError(
        () => patchClusterSettings(input, CS, VALUES),
        `${CS}:25: holds 2 YAML documents; expected exactly one (the cluster-settings ConfigMap)`,
        25,
      );
    });

    test('another ConfigMap, another namespace, flow data, non-string value', () => {
      expect(() => patchClusterSettings(SETTINGS.replace('name: cluster-settings', 'name: settings'), CS, VALUES)).toThrow(
        `${CS}:6: is the ConfigMap settings;`,
      );
      expect(() => patchClusterSettings(SETTINGS.replace('namespace: flux-system', 'namespace: default'), CS, VALUES)).toThrow(
        `${CS}:7: is in namespace default;`,
      );
      expect(() =>
        patchClusterSettings('kind: ConfigMap\nmetadata:\n  name: cluster-settings\ndata: {A: b}\n', CS, VALUES),
      ).toThrow(`${CS}:4: data must be a block mapping`);
      expect(() => patchClusterSettings(SETTINGS.replace('BLOCK_SC: ceph-block', 'BLOCK_SC:\n    a: b'), CS, VALUES)).toThrow(
        `${CS}:16: data.BLOCK_SC must be a single string value, found a mapping`,
      );
      expect(() => patchClusterSettings(SETTINGS.replace("'0.25.0'", '|\n    0.25.0'), CS, VALUES)).toThrow(
        'data.CNPG_OPERATOR_VERSION uses a block scalar',
      );
      expect(() => patchClusterSettings('- a\n- b\n', CS, VALUES)).toThrow(`${CS}:1: is not a YAML block mapping`);
    });
  });
});

// ---------------------------------------------------------------------------
// 00-crds.yaml
// ---------------------------------------------------------------------------

const HELMFILE = `---
# yaml-language-server: $schema=https://json.schemastore.org/helmfile.json
helmDefaults:
  args: ['--include-crds', '--no-hooks']  # template only
  postRenderer: bash
  postRendererArgs: [-c, "yq ea --exit-status 'select(.kind == \\"CustomResourceDefinition\\")'"]
---
environments:
  default:
    values:
      - cluster: home   # single cluster
---
releases:
  # cert-manager must come first
  - name: cert-manager
    namespace: cert-manager
    chart: oci://quay.io/jetstack/charts/cert-manager
    version: v1.19.1
    set:
      - name: crds.enabled
        value: true   # CRDs only
      - name: startupapicheck.enabled
        value: false

  - name: cloudnative-pg-crds   # Postgres operator
    namespace: cnpg-system
    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg-crds
    version: 0.25.0
    set:
      - name: crds.create
        value: true

  # External Secrets
  - name: external-secrets
    namespace: external-secrets
    chart: oci://ghcr.io/external-secrets/charts/external-secrets
    # renovate: datasource=docker depName=ghcr.io/external-secrets/charts/external-secrets
    version: "0.20.4"
`;

const HELMFILE_PATCHED = `---
# yaml-language-server: $schema=https://json.schemastore.org/helmfile.json
helmDefaults:
  args: ['--include-crds', '--no-hooks']  # template only
  postRenderer: bash
  postRendererArgs: [-c, "yq ea --exit-status 'select(.kind == \\"CustomResourceDefinition\\")'"]
---
environments:
  default:
    values:
      - cluster: home   # single cluster
---
releases:
  # cert-manager must come first
  - name: cert-manager
    namespace: cert-manager
    chart: oci://quay.io/jetstack/charts/cert-manager
    version: v1.19.1
    set:
      - name: crds.enabled
        value: true   # CRDs only
      - name: startupapicheck.enabled
        value: false

  - name: cloudnative-pg-crds   # Postgres operator
    namespace: cnpg-system
    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg
    # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg
    version: 0.26.1
    set:
      - name: crds.create
        value: true

  # External Secrets
  - name: external-secrets
    namespace: external-secrets
    chart: oci://ghcr.io/external-secrets/charts/external-secrets
    # renovate: datasource=docker depName=ghcr.io/external-secrets/charts/external-secrets
    version: "0.20.4"
`;

const NEW_RELEASE = [
  '  - name: cloudnative-pg',
  '    namespace: cnpg-system',
  '    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg',
  `    ${RENOVATE_COMMENT}`,
  '    version: 0.26.1',
];

function cnpgRelease(text: string): Record<string, unknown> {
  for (const doc of parseAllDocuments(text.replace(/^\uFEFF/, ''))) {
    const js = doc.toJS() as { releases?: Record<string, unknown>[] } | null;
    for (const r of js?.releases ?? []) if (String(r.chart).includes('cloudnative-pg')) return r;
  }
  throw new Error('no cnpg release');
}

describe('patchCrdsHelmfile', () => {
  test('creates the file when missing', () => {
    const out = patchCrdsHelmfile(undefined, HF, '0.26.0');
    expect(out).toBe(`# CRDs applied before Flux starts. Rendered and filtered to CustomResourceDefinitions only:
#   helmfile --file bootstrap/helmfile.d/00-crds.yaml template --quiet \\
#     | yq eval-all 'select(.kind == "CustomResourceDefinition")' - \\
#     | kubectl apply --server-side --force-conflicts -f -
# --force-conflicts: once Flux (helm-controller) manages these CRDs, a rerun of this bootstrap takes them back
# instead of stopping at server-side-apply field conflicts.
# The CloudNativePG CRDs ship inside the main cloudnative-pg chart (there is no separate CRDs chart).
---
helmDefaults:
  args: ["--include-crds", "--no-hooks"]
---
releases:
  - name: cloudnative-pg
    namespace: cnpg-system
    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg
    # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg
    version: 0.26.0
`);
    const docs = parseAllDocuments(out).map((d) => d.toJS());
    expect(docs[0]).toEqual({ helmDefaults: { args: ['--include-crds', '--no-hooks'] } });
    expect(docs[1].releases).toEqual([
      { name: 'cloudnative-pg', namespace: 'cnpg-system', chart: CNPG_CHART_URL, version: '0.26.0' },
    ]);
    expect(readCrdsHelmfileVersion(out, HF)).toBe('0.26.0');
  });

  test('repoints the cloudnative-pg-crds release in a multi-document helmfile', () => {
    const out = patchCrdsHelmfile(HELMFILE, HF, '0.26.1');
    expect(out).toBe(HELMFILE_PATCHED);
    expect(lineDiff(HELMFILE, out)).toEqual([
      '-     chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg-crds',
      '-     version: 0.25.0',
      '+     chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg',
      `+     ${RENOVATE_COMMENT}`,
      '+     version: 0.26.1',
    ]);
    expect(cnpgRelease(out)).toEqual({
      name: 'cloudnative-pg-crds',
      namespace: 'cnpg-system',
      chart: CNPG_CHART_URL,
      version: '0.26.1',
      set: [{ name: 'crds.create', value: true }],
    });
    expect(readCrdsHelmfileVersion(HELMFILE, HF)).toBe('0.25.0');
    expect(readCrdsHelmfileVersion(out, HF)).toBe('0.26.1');
  });

  test('is idempotent and returns the very same text when already current', () => {
    expect(patchCrdsHelmfile(HELMFILE_PATCHED, HF, '0.26.1')).toBe(HELMFILE_PATCHED);
    for (const input of [HELMFILE, crlf(HELMFILE), BOM + HELMFILE]) {
      const once = patchCrdsHelmfile(input, HF, '0.26.1');
      expect(patchCrdsHelmfile(once, HF, '0.26.1')).toBe(once);
    }
    const created = patchCrdsHelmfile(undefined, HF, '0.26.1');
    expect(patchCrdsHelmfile(created, HF, '0.26.1')).toBe(created);
  });

  test('an upgrade changes only the version line', () => {
    expect(lineDiff(HELMFILE_PATCHED, patchCrdsHelmfile(HELMFILE_PATCHED, HF, '0.27.0'))).toEqual([
      '-     version: 0.26.1',
      '+     version: 0.27.0',
    ]);
  });

  test('keeps quoting styles (plain stays plain, quoted stays quoted)', () => {
    const input = `releases:
- name: postgres-operator
  chart: "cloudnative-pg/cloudnative-pg"
  version: '0.24.0' # old
- name: other
  chart: other/other
  version: 1.0.0
`;
    expect(lineDiff(input, patchCrdsHelmfile(input, HF, '0.26.1'))).toEqual([
      '-   chart: "cloudnative-pg/cloudnative-pg"',
      "-   version: '0.24.0' # old",
      `+   chart: "${CNPG_CHART_URL}"`,
      `+   ${RENOVATE_COMMENT}`,
      "+   version: '0.26.1' # old",
    ]);
    const plain = 'releases:\n  - name: cnpg\n    chart: cnpg/cloudnative-pg/\n    version: 0.24.0\n';
    expect(patchCrdsHelmfile(plain, HF, '0.26.1')).toBe(
      `releases:\n  - name: cnpg\n    chart: ${CNPG_CHART_URL}\n    ${RENOVATE_COMMENT}\n    version: 0.26.1\n`,
    );
    // a plain version that would not read back as a string gets quoted
    expect(patchCrdsHelmfile(plain, HF, '1.0')).toContain('    version: "1.0"\n');
    expect(readCrdsHelmfileVersion(patchCrdsHelmfile(plain, HF, '1.0'), HF)).toBe('1.0');
  });

  test('inserts a missing version line right after the chart line', () => {
    const input = `releases:
  - name: cloudnative-pg
    chart: ${CNPG_CHART_URL}   # main chart
    namespace: cnpg-system
`;
    expect(lineDiff(input, patchCrdsHelmfile(input, HF, '0.26.1'))).toEqual([
      `+     ${RENOVATE_COMMENT}`,
      '+     version: 0.26.1',
    ]);
    expect(patchCrdsHelmfile(input, HF, '0.26.1')).toBe(`releases:
  - name: cloudnative-pg
    chart: ${CNPG_CHART_URL}   # main chart
    ${RENOVATE_COMMENT}
    version: 0.26.1
    namespace: cnpg-system
`);
  });

  test('a release recognised by its name only gets a chart line', () => {
    const input = `releases:
  - name: cloudnative-pg-crds
    version: 0.25.0
    namespace: cnpg-system
`;
    expect(patchCrdsHelmfile(input, HF, '0.26.1')).toBe(`releases:
  - name: cloudnative-pg-crds
    chart: ${CNPG_CHART_URL}
    ${RENOVATE_COMMENT}
    version: 0.26.1
    namespace: cnpg-system
`);
    const noVersion = 'releases:\n  - namespace: cnpg-system\n    name: cloudnative-pg-crds\n';
    expect(patchCrdsHelmfile(noVersion, HF, '0.26.1')).toBe(
      `${noVersion}    chart: ${CNPG_CHART_URL}\n    ${RENOVATE_COMMENT}\n    version: 0.26.1\n`,
    );
  });

  test('replaces a stale renovate comment directly above version', () => {
    const input = `releases:
  - name: cloudnative-pg-crds
    chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg-crds
      # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg-crds
    version: 0.25.0
`;
    expect(lineDiff(input, patchCrdsHelmfile(input, HF, '0.26.1'))).toEqual([
      '-     chart: oci://ghcr.io/cloudnative-pg/charts/cloudnative-pg-crds',
      '-       # renovate: datasource=docker depName=ghcr.io/cloudnative-pg/charts/cloudnative-pg-crds',
      '-     version: 0.25.0',
      `+     chart: ${CNPG_CHART_URL}`,
      `+       ${RENOVATE_COMMENT}`,
      '+     version: 0.26.1',
    ]);
  });

  test('appends a release to the releases sequence, matching its layout', () => {
    const noCnpg = HELMFILE.replace(/  - name: cloudnative-pg-crds[^]*?value: true\n\n/, '');
    const out = patchCrdsHelmfile(noCnpg, HF, '0.26.1');
    expect(out).toBe(`${noCnpg}${NEW_RELEASE.join('\n')}\n`);

    const flush = 'releases:\n-   name: a\n    chart: a/a\n# the end\n';
    expect(patchCrdsHelmfile(flush, HF, '0.26.1')).toBe(`releases:
-   name: a
    chart: a/a
-   name: cloudnative-pg
    namespace: cnpg-system
    chart: ${CNPG_CHART_URL}
    ${RENOVATE_COMMENT}
    version: 0.26.1
# the end
`);
  });

  test('appends a releases document when there is none (no final newline kept)', () => {
    const input = 'helmDefaults:\n  args: ["--include-crds"]';
    expect(patchCrdsHelmfile(input, HF, '0.26.1')).toBe(`${input}\n---\nreleases:\n${NEW_RELEASE.join('\n')}`);
    expect(patchCrdsHelmfile(`${input}\n`, HF, '0.26.1')).toBe(`${input}\n---\nreleases:\n${NEW_RELEASE.join('\n')}\n`);
    expect(patchCrdsHelmfile('releases: []\n', HF, '0.26.1')).toBe(`releases:\n${NEW_RELEASE.join('\n')}\n`);
  });

  test('CRLF and BOM', () => {
    expect(patchCrdsHelmfile(crlf(HELMFILE), HF, '0.26.1')).toBe(crlf(HELMFILE_PATCHED));
    expect(patchCrdsHelmfile(BOM + crlf(HELMFILE), HF, '0.26.1')).toBe(BOM + crlf(HELMFILE_PATCHED));
    expect(readCrdsHelmfileVersion(BOM + crlf(HELMFILE), HF)).toBe('0.25.0');
  });

  test('readCrdsHelmfileVersion without a cnpg release or content', () => {
    expect(readCrdsHelmfileVersion('', HF)).toBeUndefined();
    expect(readCrdsHelmfileVersion('# nothing\n', HF)).toBeUndefined();
    expect(readCrdsHelmfileVersion('releases:\n  - name: a\n    chart: a/a\n    version: 1.0.0\n', HF)).toBeUndefined();
    expect(readCrdsHelmfileVersion(`releases:\n  - name: a\n    chart: ${CNPG_CHART_URL}\n`, HF)).toBeUndefined();
  });

  describe('refusals', () => {
    test('invalid YAML in any document', () => {
      const input = `${HELMFILE}---\nreleases: [\n`;
      expectFileError(
        () => patchCrdsHelmfile(input, HF, '0.26.1'),
        `${HF}:40: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
        40,
      );
    });

    test('duplicate keys', () => {
      const input = HELMFILE.replace('    version: v1.19.1\n', '    version: v1.19.1\n    version: v1.19.2\n');
      expectFileError(() => patchCrdsHelmfile(input, HF, '0.26.1'), `${HF}:19: duplicate key version`, 19);
      expect(() => readCrdsHelmfileVersion(input, HF)).toThrow(FileError);
    });

    test('releases that is not a sequence', () => {
      expectFileError(() => patchCrdsHelmfile('releases:\n  name: x\n', HF, '0.26.1'), `${HF}:2: releases is not a sequence`, 2);
    });

    test('empty file', () => {
      for (const input of ['', '\n', '# todo\n', '---\n---\n']) {
        expectFileError(() => patchCrdsHelmfile(input, HF, '0.26.1'), `${HF}: is empty; expected a helmfile with a releases list`);
      }
    });

    test('ambiguous releases, naming their lines', () => {
      const input = `${HELMFILE}  - name: cnpg\n    chart: cloudnative-pg/cloudnative-pg\n`;
      expectFileError(
        () => patchCrdsHelmfile(input, HF, '0.26.1'),
        `${HF}:25: ambiguous: 2 releases look like the CloudNativePG release (lines 25, 39); keep only one`,
        25,
      );
      expect(() => readCrdsHelmfileVersion(input, HF)).toThrow('ambiguous');
    });
  });
});

// ---------------------------------------------------------------------------
// kustomization.yaml
// ---------------------------------------------------------------------------

const KUSTOMIZATION = `---
# yaml-language-server: $schema=https://json.schemastore.org/kustomization
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ./namespace.yaml
  # - ./dragonfly/ks.yaml
  - ./redis/ks.yaml   # cache

components:
  - ../../components/common
`;

describe('addKustomizationResource', () => {
  const entry = 'cloudnative-pg/operator/ks.yaml';

  test('creates the file when missing', () => {
    expect(addKustomizationResource(undefined, KS, entry)).toBe(
      `---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${entry}\n`,
    );
  });

  test('appends to a block sequence with the items indentation', () => {
    // Every listed resource is written ./x, so ours is too.
    const out = addKustomizationResource(KUSTOMIZATION, KS, entry);
    expect(lineDiff(KUSTOMIZATION, out)).toEqual([`+   - ./${entry}`]);
    expect(out).toContain(`  - ./redis/ks.yaml   # cache\n  - ./${entry}\n\ncomponents:`);
    expect(parse(out).resources).toEqual(['./namespace.yaml', './redis/ks.yaml', `./${entry}`]);
    const flush = 'kind: Kustomization\nresources:\n- a.yaml\n';
    expect(addKustomizationResource(flush, KS, entry)).toBe(`${flush}- ${entry}\n`);
  });

  test('already listed (with or without ./) is left byte-identical', () => {
    const out = addKustomizationResource(KUSTOMIZATION, KS, entry);
    expect(addKustomizationResource(out, KS, entry)).toBe(out);
    expect(addKustomizationResource(out, KS, `./${entry}`)).toBe(out);
    const dotted = KUSTOMIZATION.replace('./redis/ks.yaml', `./${entry}`);
    expect(addKustomizationResource(dotted, KS, entry)).toBe(dotted);
  });

  test('flow sequences', () => {
    const base = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';
    expect(addKustomizationResource(`${base}resources: [./a.yaml, b.yaml] # x\n`, KS, entry)).toBe(
      `${base}resources: [./a.yaml, b.yaml, ${entry}] # x\n`,
    );
    expect(addKustomizationResource(`${base}resources: []\n`, KS, entry)).toBe(`${base}resources: [${entry}]\n`);
  });

  test('missing resources', () => {
    const input = 'apiVersion: kustomize.config.k8s.io/v1beta1\r\nkind: Kustomization\r\nnamespace: databases';
    expect(addKustomizationResource(input, KS, entry)).toBe(`${input}\r\nresources:\r\n  - ${entry}`);
    expect(addKustomizationResource(`${BOM}${input}\r\n`, KS, entry)).toBe(`${BOM}${input}\r\nresources:\r\n  - ${entry}\r\n`);
    expect(addKustomizationResource('kind: Kustomization\nresources:\n', KS, entry)).toBe(
      `kind: Kustomization\nresources:\n  - ${entry}\n`,
    );
  });

  test('refusals', () => {
    expectFileError(
      () => addKustomizationResource('apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n', KS, entry),
      `${KS}:1: has apiVersion kustomize.toolkit.fluxcd.io/v1 (that is a Flux Kustomization); expected a kustomize Kustomization (apiVersion: kustomize.config.k8s.io/v1beta1, kind: Kustomization)`,
      1,
    );
    expect(() => addKustomizationResource('apiVersion: v1\nkind: ConfigMap\n', KS, entry)).toThrow(`${KS}:2: is a ConfigMap;`);
    expect(() => addKustomizationResource('resources: [\n', KS, entry)).toThrow(`${KS}:1: invalid YAML`);
    expectFileError(
      () => addKustomizationResource('resources:\n  - a\nresources:\n  - b\n', KS, entry),
      `${KS}:3: duplicate key resources`,
      3,
    );
    expect(() => addKustomizationResource('resources: a.yaml\n', KS, entry)).toThrow(`${KS}:1: resources is not a sequence`);
    expect(() => addKustomizationResource('', KS, entry)).toThrow(`${KS}: is empty`);
  });
});

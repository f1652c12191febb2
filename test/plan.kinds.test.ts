/**
 * Issue 14: makePlan's less common combinations, by what a user sees (each file's status, note, warning and the
 * commit message): files no longer generated, files the user deleted, files that were never ours, --force, and
 * .yo-rc.json shared with other generators.
 */
import { describe, expect, test } from '@jest/globals';
import { patchYoRc, renderGenerated, storedSection } from '../src/core/plan.js';
import { DEFAULT_ANSWERS } from '../src/core/settings.js';
import { generatedPaths } from '../src/core/layout.js';
import { CRDS, L, YO_RC, changeOf, clusterSettings, planFor, settingsPath, yoRc } from './helpers/core.js';

const PODMONITOR = `${L.operatorDir.replace(/operator$/, 'monitoring')}/podmonitor.yaml`;
const PDB = `${L.operatorDir}/pdb.yaml`;
const rendered = (answers = {}) => renderGenerated({ ...DEFAULT_ANSWERS, ...answers }, L);
const STORED = { [YO_RC]: yoRc({ monitoring: 'victoria-metrics' }) };

describe('generated files the answers no longer produce', () => {
  const lastWritten = rendered().get(PODMONITOR)!;

  test('as the generator wrote it: removed', () => {
    const { plan } = planFor({ files: { ...STORED, [PODMONITOR]: lastWritten }, flags: { monitoring: 'none' }, bases: { [PODMONITOR]: lastWritten } });
    const c = changeOf(plan, PODMONITOR);
    expect([c.status, c.after]).toEqual(['removed', undefined]);
    expect(plan.writes.map((w) => w.path)).toContain(PODMONITOR);
  });

  test('edited by the user: left in place with a warning; --force removes it', () => {
    const edited = lastWritten + '# mine\n';
    const files = { ...STORED, [PODMONITOR]: edited };
    const { plan } = planFor({ files, flags: { monitoring: 'none' }, bases: { [PODMONITOR]: lastWritten } });
    const c = changeOf(plan, PODMONITOR);
    expect([c.status, c.after]).toEqual(['unchanged', edited]);
    expect(plan.warnings).toContain(`${PODMONITOR}: no longer generated for these answers, but it differs from what the generator wrote: left in place (delete it, or rerun with --force)`);
    expect(plan.writes.map((w) => w.path)).not.toContain(PODMONITOR);
    expect(changeOf(planFor({ files, flags: { monitoring: 'none' }, bases: { [PODMONITOR]: lastWritten }, force: true }).plan, PODMONITOR).status).toBe('removed');
  });

  test('never there: not mentioned', () => {
    const { plan } = planFor({ files: STORED, flags: { monitoring: 'none' } });
    expect(plan.changes.some((c) => c.path === PODMONITOR)).toBe(false);
  });
});

describe('generated files the user deleted or never had', () => {
  test('deleted after the generator wrote it: left deleted, with a warning; --force restores it', () => {
    const base = rendered().get(PDB)!;
    const { plan } = planFor({ files: STORED, bases: { [PDB]: base } });
    const c = changeOf(plan, PDB);
    expect([c.status, c.after]).toEqual(['deleted-by-user', undefined]);
    expect(plan.warnings).toContain(`${PDB}: you deleted it; left deleted (rerun with --force to restore it)`);
    expect(plan.writes.map((w) => w.path)).not.toContain(PDB);
    const forced = changeOf(planFor({ files: STORED, bases: { [PDB]: base }, force: true }).plan, PDB);
    expect([forced.status, forced.after]).toEqual(['created', base]);
  });

  test('a file of the same name the generator never wrote: a conflict saying so; --force replaces it with a warning', () => {
    const theirs = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: mine\n';
    const { plan } = planFor({ files: { ...STORED, [PDB]: theirs } });
    const c = changeOf(plan, PDB);
    expect([c.status, c.note]).toEqual(['conflicted', 'exists and was not written by this generator']);
    expect(c.after).toContain('<<<<<<< yours');
    expect(plan.conflicted.map((x) => x.path)).toEqual([PDB]);
    const forced = planFor({ files: { ...STORED, [PDB]: theirs }, force: true }).plan;
    const f = changeOf(forced, PDB);
    // --force takes the generator's side of every conflicting hunk (git merge -X theirs); with no base, all of it.
    expect([f.status, f.after]).toEqual(['merged', rendered().get(PDB)]);
    expect(forced.warnings).toContainEqual(expect.stringMatching(/overlapping change\(s\) take the generator's side \(--force\)/));
    expect(forced.conflicted).toEqual([]);
  });

  test('a new rendering of an untouched file is "updated"; with a user edit elsewhere "merged"', () => {
    const base = rendered().get(PDB)!;
    const next = rendered({ namespace: 'db' }).get(PDB)!;
    const untouched = changeOf(planFor({ files: { ...STORED, [PDB]: base }, flags: { namespace: 'db' }, bases: { [PDB]: base } }).plan, PDB);
    expect([untouched.status, untouched.after]).toEqual(['updated', next]);
    const same = changeOf(planFor({ files: { ...STORED, [PDB]: next }, flags: { namespace: 'db' }, bases: { [PDB]: base } }).plan, PDB);
    expect(same.status).toBe('unchanged');
  });
});

describe('the patched files and .yo-rc.json', () => {
  test('a first run creates the parent kustomization, the cluster settings, the CRD helmfile and .yo-rc.json', () => {
    const { plan } = planFor({});
    for (const p of [L.parentKustomization(), settingsPath('infra'), CRDS, YO_RC]) expect([p, changeOf(plan, p).status]).toEqual([p, 'created']);
    expect(plan.commitMessage.split('\n')[0]).toBe('feat(databases): add CloudNativePG operator manifests');
  });

  test('a rerun with the same answers plans no write at all', () => {
    const first = planFor({ files: { [settingsPath('infra')]: clusterSettings({ CLUSTER_NAME: 'infra' }) } }).plan;
    const files: Record<string, string> = {};
    for (const c of first.changes) if (c.after !== undefined) files[c.path] = c.after;
    const bases = Object.fromEntries(first.changes.filter((c) => generatedPaths(L).includes(c.path)).map((c) => [c.path, c.after!]));
    const again = planFor({ files, bases }).plan;
    expect(again.writes).toEqual([]);
    expect(again.changes.every((c) => c.status === 'unchanged')).toBe(true);
    expect(again.commitMessage.split('\n')[0]).toBe('chore(databases): update CloudNativePG operator manifests');
  });

  test('.yo-rc.json keeps other generators\' sections and is untouched when our section is the same', () => {
    const other = { 'generator-other': { x: 1 } };
    const section = storedSection(DEFAULT_ANSWERS, '1.0.0');
    const text = patchYoRc(JSON.stringify(other), section);
    expect(JSON.parse(text)).toEqual({ ...other, 'generator-cnpg-operator': section });
    expect(text.endsWith('}\n')).toBe(true);
    expect(patchYoRc(text, section)).toBe(text);
    expect(patchYoRc('  \n', section)).toBe(JSON.stringify({ 'generator-cnpg-operator': section }, null, 2) + '\n');
    expect(storedSection(DEFAULT_ANSWERS, '1.0.0', { b: { replicas: 3 } })).toEqual({ ...DEFAULT_ANSWERS, generatorVersion: '1.0.0', clusters: { b: { replicas: 3 } } });
    expect(storedSection(DEFAULT_ANSWERS, '1.0.0')).not.toHaveProperty('clusters');
  });

  test('the commit message lists replicas and storage classes per cluster when they differ', () => {
    const files = {
      [settingsPath('a')]: clusterSettings({ CNPG_OPERATOR_VERSION: '0.26.0', CNPG_OPERATOR_REPLICAS: '2', BLOCK_SC: 'fast' }),
      [settingsPath('b')]: clusterSettings({ CNPG_OPERATOR_VERSION: '0.26.0', CNPG_OPERATOR_REPLICAS: '3', BLOCK_SC: 'slow' }),
    };
    const { plan } = planFor({ files, options: { allClusters: true }, flags: { namespace: 'db', monitoring: 'none' } });
    expect(plan.commitMessage).toBe(
      'feat(databases): add CloudNativePG operator manifests\n\nReplicas (per cluster):\n  a: 2\n  b: 3\nChart: cloudnative-pg 0.26.0 (operator 1.27.0)\nNamespace: db\nClusters: a, b\nMonitoring: none\nStorage class (per cluster):\n  a: fast\n  b: slow\n\nGenerated-by: generator-cnpg-operator 0.0.0-test\n',
    );
    const same = planFor({ files: { [settingsPath('a')]: files[settingsPath('a')] }, options: { allClusters: true } }).plan;
    expect(same.commitMessage).toContain('\nReplicas: 2\nChart:');
    expect(same.commitMessage).not.toContain('Storage class');
  });
});

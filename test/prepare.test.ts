/**
 * prepare() in process (no spawned process): the prompts are asked clusters first, and every question's
 * suggestion is the resolution's prefill from the chosen clusters; a prompt answer is parsed once, in the core.
 */
import { describe, expect, test } from '@jest/globals';
import { type Question, type RunRequest, guard, prepare } from '../src/core/run.js';
import { DEFAULT_RUN_OPTIONS, type SettingKey } from '../src/core/settings.js';
import { tmpRepo } from './helpers/repo.js';

const cs = (replicas: string, sc: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  BLOCK_SC: "${sc}"\n  CNPG_OPERATOR_VERSION: "0.26.1"\n  CNPG_OPERATOR_REPLICAS: "${replicas}"\n`;

function request(cwd: string, answers: Partial<Record<SettingKey, string>>, asked: Question[][], out: string[]): RunRequest {
  return {
    cwd,
    generatorVersion: '0.0.0-test',
    flags: { monitoring: 'none' },
    options: { ...DEFAULT_RUN_OPTIONS },
    ask: async (questions) => {
      asked.push(questions);
      return Object.fromEntries(questions.filter((q) => answers[q.key] !== undefined).map((q) => [q.key, answers[q.key]!]));
    },
    out: (line) => out.push(line),
    err: (line) => out.push(line),
  };
}

describe('prepare', () => {
  test('asks the clusters first, then suggests the chosen cluster\'s own values', async () => {
    const repo = tmpRepo({ 'kubernetes/clusters/a/cluster-settings.yaml': cs('3', 'local-path'), 'kubernetes/clusters/b/cluster-settings.yaml': cs('4', 'fast') });
    const asked: Question[][] = [];
    const out: string[] = [];
    const p = await prepare(request(repo, { cluster: 'b' }, asked, out));
    expect(asked.map((qs) => qs.map((q) => q.key))).toEqual([['cluster'], ['namespace', 'replicas', 'chartVersion', 'storageClass', 'inplaceUpdates']]);
    expect(asked[0][0].default).toBe('infra');
    expect(Object.fromEntries(asked[1].map((q) => [q.key, q.default]))).toEqual({ namespace: 'cnpg-system', replicas: '4', chartVersion: '0.26.1', storageClass: 'fast', inplaceUpdates: 'false' });
    expect(p.answers).toMatchObject({ cluster: ['b'], replicas: 4, storageClass: 'fast', chartVersion: '0.26.1', monitoring: 'none' });
    expect(p.resolution.settings.replicas).toEqual({ value: 4, source: 'repo', file: 'kubernetes/clusters/b/cluster-settings.yaml' });
    expect(out).toContainEqual(expect.stringMatching(/^cluster +\= b  \(prompt\)$/));
    expect(out).toContainEqual(expect.stringMatching(/^monitoring +\= none  \(flag\)$/));
    expect(p.plan.writes.map((w) => w.path)).not.toContain('kubernetes/clusters/a/cluster-settings.yaml');
  });

  test('a prompt answer is validated: an invalid one is refused as invalid input (exit 2)', async () => {
    const repo = tmpRepo();
    const out: string[] = [];
    const req = request(repo, { replicas: '11' }, [], out);
    const r = await guard(req, async () => (await prepare(req), { exitCode: 0 }));
    expect(r.exitCode).toBe(2);
    expect(out.join('\n')).toMatch(/--replicas "11": must be an integer from 1 to 10/);
  });

  test('each question validates with the settings table', async () => {
    const repo = tmpRepo();
    const asked: Question[][] = [];
    await prepare(request(repo, {}, asked, []));
    const replicas = asked.flat().find((q) => q.key === 'replicas')!;
    expect(replicas.validate('3')).toBe(true);
    expect(replicas.validate('0')).toMatch(/must be an integer from 1 to 10/);
  });
});

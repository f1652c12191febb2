/**
 * The operator release table (data/operator-releases.json): its types, its validation, and the built-in copy.
 * The JSON is imported, so esbuild bundles it into dist/bin and tsc copies it into dist/data: nothing reads the
 * file at run time. Pure: no I/O.
 */
import raw from '../../data/operator-releases.json' with { type: 'json' };
import { compareVersions } from './versions.js';

export interface Hazard {
  /** A key of ReleaseTable.tags. */
  tag: string;
  /** One line. */
  text: string;
  /** https URL of the upstream release notes, issue, pull request, advisory or chart file it comes from. */
  source: string;
  /** Further https URLs reporting the same thing. */
  seeAlso?: string[];
  /** Operator version from which an upgrade that ends there (or later) no longer meets this hazard. */
  fixedIn?: string;
  /** The hazard belongs to these chart versions (not to the operator release): it applies when a plan lands on one. */
  charts?: string[];
}

export interface Release {
  version: string;
  /** YYYY-MM-DD. */
  date: string;
  /** Chart versions whose appVersion this release is. */
  charts: string[];
  /** Upstream release page. */
  notes: string;
  /** Kubernetes versions the release notes list as supported (absent where not recorded). */
  kubernetes?: string[];
  hazards: Hazard[];
}

export interface ReleaseTable {
  schema: 1;
  about: string[];
  /** tag -> what it means. */
  tags: Record<string, string>;
  /** Hazards of any change of operator version. */
  everyUpgrade: Hazard[];
  /** Ascending by version. */
  releases: Release[];
}

const VERSION = /^(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})$/;
const TAG = /^[a-z][a-z0-9-]{1,40}$/;

function isIsoDate(s: unknown): boolean {
  // Stryker disable next-line Regex,ConditionalExpression,LogicalOperator: equivalent, the round trip below (=== on a string) accepts only a string that is exactly YYYY-MM-DD
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function isHttpsUrl(s: unknown): boolean {
  if (typeof s !== 'string' || /\s/.test(s)) return false;
  // Stryker disable BlockStatement: equivalent for the catch, an empty one returns undefined, which is as false to every caller
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && u.hostname.includes('.');
  } catch {
    return false;
  }
}
// Stryker restore BlockStatement

function isOneLine(s: unknown): boolean {
  return typeof s === 'string' && s.trim() === s && s.length > 0 && s.length <= 240 && !/[\r\n\t]/.test(s);
}

function isStringArray(a: unknown): a is string[] {
  return Array.isArray(a) && a.every((x) => typeof x === 'string');
}

const HAZARD_KEYS = new Set(['tag', 'text', 'source', 'seeAlso', 'fixedIn', 'charts']);
const RELEASE_KEYS = new Set(['version', 'date', 'charts', 'notes', 'kubernetes', 'hazards']);

function hazardProblems(h: unknown, where: string, tags: Record<string, string>): string[] {
  if (typeof h !== 'object' || h === null || Array.isArray(h)) return [`${where}: not an object`];
  const o = h as Record<string, unknown>;
  const p: string[] = [];
  for (const k of Object.keys(o)) if (!HAZARD_KEYS.has(k)) p.push(`${where}: unknown key ${k}`);
  if (typeof o.tag !== 'string' || !Object.hasOwn(tags, o.tag)) p.push(`${where}: tag ${JSON.stringify(o.tag)} is not in tags`);
  if (!isOneLine(o.text)) p.push(`${where}: text must be one non-empty line of at most 240 characters`);
  if (!isHttpsUrl(o.source)) p.push(`${where}: source must be an https URL`);
  if (o.seeAlso !== undefined && (!isStringArray(o.seeAlso) || !o.seeAlso.every(isHttpsUrl))) p.push(`${where}: seeAlso must be https URLs`);
  if (o.fixedIn !== undefined && (typeof o.fixedIn !== 'string' || !VERSION.test(o.fixedIn))) p.push(`${where}: fixedIn must be X.Y.Z`);
  if (o.charts !== undefined && (!isStringArray(o.charts) || o.charts.length === 0 || !o.charts.every((c) => VERSION.test(c)))) {
    p.push(`${where}: charts must be a non-empty list of X.Y.Z`);
  }
  return p;
}

/** Every problem of a parsed table, one line each (empty when it is valid). */
export function releaseTableProblems(data: unknown): string[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return ['the table is not an object'];
  const t = data as Record<string, unknown>;
  const p: string[] = [];
  if (t.schema !== 1) p.push('schema must be 1');
  if (!isStringArray(t.about) || t.about.length === 0) p.push('about must be a non-empty list of lines');
  const tags = t.tags;
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
    p.push('tags must be an object');
    return p;
  }
  for (const [k, v] of Object.entries(tags)) {
    if (!TAG.test(k)) p.push(`tags: ${JSON.stringify(k)} is not a tag name`);
    if (!isOneLine(v)) p.push(`tags.${k}: the description must be one line`);
  }
  const tagMap = tags as Record<string, string>;
  if (!Array.isArray(t.everyUpgrade)) p.push('everyUpgrade must be a list');
  else t.everyUpgrade.forEach((h, i) => p.push(...hazardProblems(h, `everyUpgrade[${i}]`, tagMap)));
  if (!Array.isArray(t.releases) || t.releases.length === 0) {
    p.push('releases must be a non-empty list');
    return p;
  }
  let previous: string | undefined;
  t.releases.forEach((r: unknown, i: number) => {
    const where = `releases[${i}]`;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) {
      p.push(`${where}: not an object`);
      return;
    }
    const o = r as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!RELEASE_KEYS.has(k)) p.push(`${where}: unknown key ${k}`);
    const v = o.version;
    if (typeof v !== 'string' || !VERSION.test(v)) p.push(`${where}: version must be X.Y.Z`);
    else {
      if (previous !== undefined && compareVersions(v, previous) <= 0) p.push(`${where}: ${v} does not come after ${previous}`);
      previous = v;
    }
    const at = typeof v === 'string' ? `release ${v}` : where;
    if (!isIsoDate(o.date)) p.push(`${at}: date must be an ISO date (YYYY-MM-DD)`);
    if (!isStringArray(o.charts) || !o.charts.every((c) => VERSION.test(c))) p.push(`${at}: charts must be a list of X.Y.Z`);
    if (!isHttpsUrl(o.notes)) p.push(`${at}: notes must be an https URL`);
    if (o.kubernetes !== undefined && (!isStringArray(o.kubernetes) || !o.kubernetes.every((k) => /^1\.\d{1,3}$/.test(k)))) {
      p.push(`${at}: kubernetes must be a list of 1.N versions`);
    }
    if (!Array.isArray(o.hazards)) p.push(`${at}: hazards must be a list`);
    else {
      o.hazards.forEach((h, j) => {
        p.push(...hazardProblems(h, `${at} hazards[${j}]`, tagMap));
        const hz = h as Hazard;
        if (typeof v === 'string' && VERSION.test(v) && typeof hz?.fixedIn === 'string' && VERSION.test(hz.fixedIn) && compareVersions(hz.fixedIn, v) <= 0) {
          p.push(`${at} hazards[${j}]: fixedIn ${hz.fixedIn} must come after the release`);
        }
        if (Array.isArray(hz?.charts) && isStringArray(o.charts) && !hz.charts.every((c) => (o.charts as string[]).includes(c))) {
          p.push(`${at} hazards[${j}]: charts must be charts that ship this release`);
        }
      });
    }
  });
  return p;
}

/** The table, checked: throws one Error listing every problem. */
export function validateReleaseTable(data: unknown): ReleaseTable {
  const problems = releaseTableProblems(data);
  if (problems.length > 0) throw new Error(`invalid operator release table:\n  ${problems.join('\n  ')}`);
  return data as ReleaseTable;
}

/**
 * The table shipped with the package, checked on each call: one upgrade plan per run asks for it, and a check of a
 * few dozen entries costs microseconds, so it is not cached.
 */
export function releaseTable(): ReleaseTable {
  return validateReleaseTable(raw);
}

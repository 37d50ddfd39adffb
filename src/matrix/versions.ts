// The one place that parses and compares versions. CUDA (12.4.1), drivers (550.54.15), cuDNN
// (8.9.7.29), Python (3.10) and framework versions (2.4.1+cu121) are dotted numbers, not semver;
// they compare numerically part by part. Ranges use semver after coercion.
// The bundle loads semver on first use only (scripts/bundle.mjs, LAZY_PACKAGES): the data's own
// ranges are tested without it (rangeOf), and semver builds some forty regular expressions when
// it loads.
import { parse as parseSemver, Range as SemverRange } from "semver";
import type { Range, SemVer } from "semver";

const partsCache = new Map<string, readonly number[]>();

/** The numeric parts of a dotted version; a local suffix (+cu102) and pre-release tails are dropped. */
export function parts(version: string): readonly number[] {
  let cached = partsCache.get(version);
  if (!cached) {
    const core = version.split("+")[0] ?? "";
    cached = core.split(".").map((p) => Number.parseInt(p, 10)).filter((n) => Number.isFinite(n));
    partsCache.set(version, cached);
  }
  return cached;
}

/** Numeric comparison, missing parts count as 0: compare("11.8", "11.8.0") === 0. */
export function compare(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export const newestFirst = (a: string, b: string): number => compare(b, a);

export function majorMinor(version: string): string {
  const [major = 0, minor = 0] = parts(version);
  return `${major}.${minor}`;
}

export function major(version: string): number {
  return parts(version)[0] ?? 0;
}

export function maxVersion(versions: readonly string[]): string | undefined {
  return [...versions].sort(newestFirst)[0];
}

// Rendering every default stack asks satisfies() about the same few hundred ranges and versions
// tens of thousands of times; parsing is most of semver's cost. Both are pure, so each range and
// each coerced version is parsed once per process.
type Triple = readonly [number, number, number];
const coerceCache = new Map<string, Triple | null>();
const semverCache = new Map<string, SemVer | null>();

/**
 * The version as semver's X.Y.Z (missing parts 0), or null where semver would refuse that string:
 * a part that is negative or past Number.MAX_SAFE_INTEGER.
 */
function coerce(version: string): Triple | null {
  let v = coerceCache.get(version);
  if (v === undefined) {
    const [a = 0, b = 0, c = 0] = parts(version);
    v = [a, b, c].every((n) => Number.isSafeInteger(n) && n >= 0) ? [a, b, c] : null;
    coerceCache.set(version, v);
  }
  return v;
}

/** The coerced version as semver's own object, for the ranges semver tests itself. */
function semverOf(v: Triple): SemVer | null {
  const key = v.join(".");
  let sv = semverCache.get(key);
  if (sv === undefined) {
    sv = parseSemver(key);
    semverCache.set(key, sv);
  }
  return sv;
}

/**
 * A range is kept as semver parses it, or, for the forms the data writes (comparators of up to
 * three numbers with no operator, =, >=, >, < or <=, one space apart: "1.9", ">=2.2.0 <2.4.0",
 * ">=9.1"), as the interval semver would make of each, tested on the coerced version directly.
 * Semver's first parses are its slowest (its large regular expressions compile on first use), and
 * a single `resolve` parses about twenty ranges. null: semver refuses the range.
 */
type Parsed = { semver: Range } | { bounds: Bound3[] };
/** One comparator as semver rewrites it: version op [major, minor, patch]. */
type Bound3 = { op: ">=" | ">" | "<" | "<=" | "="; at: readonly [number, number, number] };

const rangeCache = new Map<string, Parsed | null>();
const NUM = "(?:0|[1-9][0-9]{0,8})";
const COMPARATOR = `(?:>=|<=|>|<|=)?${NUM}(?:\\.${NUM}){0,2}`;
const SIMPLE = new RegExp(`^${COMPARATOR}(?: ${COMPARATOR})*$`);
const ONE = new RegExp(`^(>=|<=|>|<|=)?(${NUM})(?:\\.(${NUM}))?(?:\\.(${NUM}))?$`);

/** semver's replaceXRange for a partial version (X or X.Y), then the comparator it leaves. */
function simpleBounds(range: string): Bound3[] {
  const out: Bound3[] = [];
  for (const comp of range.split(" ")) {
    const [, op = "", a, b, c] = ONE.exec(comp)!;
    const M = Number(a);
    if (c !== undefined) {
      out.push({ op: op === "" ? "=" : (op as Bound3["op"]), at: [M, Number(b), Number(c)] });
      continue;
    }
    const minor = b === undefined ? null : Number(b);
    // the first version past the partial one: X -> (X+1).0.0, X.Y -> X.(Y+1).0
    const next: [number, number, number] = minor === null ? [M + 1, 0, 0] : [M, minor + 1, 0];
    const first: [number, number, number] = [M, minor ?? 0, 0];
    switch (op) {
      case "":
      case "=": out.push({ op: ">=", at: first }, { op: "<", at: next }); break;
      case ">=": out.push({ op: ">=", at: first }); break;
      case ">": out.push({ op: ">=", at: next }); break;
      // "<X.Y" is <X.Y.0-0 and "<=X.Y" is <X.(Y+1).0-0: for a version without a pre-release tag
      // (a coerced one never has one) the same as < X.Y.0 and < X.(Y+1).0.
      case "<": out.push({ op: "<", at: first }); break;
      case "<=": out.push({ op: "<", at: next }); break;
    }
  }
  return out;
}

function rangeOf(range: string): Parsed | null {
  let r = rangeCache.get(range);
  if (r === undefined) {
    if (SIMPLE.test(range)) r = { bounds: simpleBounds(range) };
    else {
      try {
        r = { semver: new SemverRange(range) };
      } catch {
        r = null;
      }
    }
    rangeCache.set(range, r);
  }
  return r;
}

function meets(v: Triple, b: Bound3): boolean {
  const [M, m, p] = b.at;
  const c = v[0] !== M ? v[0] - M : v[1] !== m ? v[1] - m : v[2] - p;
  switch (b.op) {
    case "=": return c === 0;
    case ">=": return c >= 0;
    case ">": return c > 0;
    case "<": return c < 0;
    case "<=": return c <= 0;
  }
}

/** True when `range` is a range semver understands (after our shorthand: "1.9" = 1.9.x). */
export function isValidRange(range: string): boolean {
  return rangeOf(range) !== null;
}

/** Does `version` fall in `range`? "1.9" means any 1.9.x, "11" any 11.x, ">=12.1" as semver says. */
export function satisfies(version: string, range: string): boolean {
  const v = coerce(version);
  if (v === null) return false;
  const r = rangeOf(range);
  if (r === null) return false;
  if ("bounds" in r) return r.bounds.every((b) => meets(v, b));
  const sv = semverOf(v);
  return sv !== null && r.semver.test(sv);
}

/** Exact match, ignoring a local suffix: "1.9.0" matches "1.9.0+cu102". */
export function isExact(range: string): boolean {
  return /^[0-9]+\.[0-9]+\.[0-9]+$/.test(range);
}

/** Does a version meet a pip requirement specifier (PEP 440 subset: ==, !=, >=, <=, >, <, ~=, ==X.*)? */
export function satisfiesSpec(version: string, spec: string): boolean {
  return spec.split(",").every((clause) => {
    const m = /^(==|!=|>=|<=|~=|>|<)(.+)$/.exec(clause.trim());
    if (!m) return false;
    const [, op, target] = m as unknown as [string, string, string];
    if (target.endsWith(".*")) {
      const prefix = parts(target.slice(0, -2));
      const same = prefix.every((p, i) => parts(version)[i] === p);
      return op === "!=" ? !same : same;
    }
    const c = compare(version, target);
    switch (op) {
      case "==": return c === 0;
      case "!=": return c !== 0;
      case ">=": return c >= 0;
      case "<=": return c <= 0;
      case ">": return c > 0;
      case "<": return c < 0;
      default: {
        // ~=X.Y.Z means >= X.Y.Z and == X.Y.*
        const t = parts(target);
        return c >= 0 && t.slice(0, -1).every((p, i) => parts(version)[i] === p);
      }
    }
  });
}

/** The version an exact pin names ("==8.9.2.26" -> "8.9.2.26"), else null. */
export function pinnedVersion(spec: string): string | null {
  const m = /^==([0-9][0-9A-Za-z.]*)$/.exec(spec.trim());
  return m ? m[1]! : null;
}

interface Bound {
  version: string;
  inclusive: boolean;
}

/** The interval one specifier clause allows: ">=1.2" -> [1.2, ∞), "~=2.1.0" -> [2.1.0, 2.2), "==1.*" -> [1, 2). */
function clauseBounds(clause: string): { lower?: Bound; upper?: Bound; not?: string } {
  const m = /^(==|!=|>=|<=|~=|>|<)(.+)$/.exec(clause.trim());
  if (!m) return {};
  const [, op, target] = m as unknown as [string, string, string];
  const bump = (p: readonly number[]) => [...p.slice(0, -1), (p[p.length - 1] ?? 0) + 1].join(".");
  if (target.endsWith(".*")) {
    const prefix = parts(target.slice(0, -2));
    return op === "!=" ? {} : { lower: { version: prefix.join("."), inclusive: true }, upper: { version: bump(prefix), inclusive: false } };
  }
  switch (op) {
    case "==": return { lower: { version: target, inclusive: true }, upper: { version: target, inclusive: true } };
    case "!=": return { not: target };
    case ">=": return { lower: { version: target, inclusive: true } };
    case ">": return { lower: { version: target, inclusive: false } };
    case "<=": return { upper: { version: target, inclusive: true } };
    case "<": return { upper: { version: target, inclusive: false } };
    default: return { lower: { version: target, inclusive: true }, upper: { version: bump(parts(target).slice(0, -1)), inclusive: false } };
  }
}

/** Can one version meet every specifier at once? specsIntersect([">=4.10.0", "<4.6.0,>=3.6.6"]) === false. */
export function specsIntersect(specs: readonly string[]): boolean {
  let lower: Bound | undefined;
  let upper: Bound | undefined;
  const excluded: string[] = [];
  for (const clause of specs.flatMap((s) => s.split(","))) {
    const b = clauseBounds(clause);
    if (b.not) excluded.push(b.not);
    if (b.lower && (!lower || compare(b.lower.version, lower.version) > 0 || (compare(b.lower.version, lower.version) === 0 && !b.lower.inclusive))) lower = b.lower;
    if (b.upper && (!upper || compare(b.upper.version, upper.version) < 0 || (compare(b.upper.version, upper.version) === 0 && !b.upper.inclusive))) upper = b.upper;
  }
  if (!lower || !upper) return true;
  const c = compare(lower.version, upper.version);
  if (c < 0) return true;
  if (c > 0) return false;
  // One version left: both ends must include it, and no != may exclude it.
  return lower.inclusive && upper.inclusive && !excluded.some((v) => compare(v, lower!.version) === 0);
}

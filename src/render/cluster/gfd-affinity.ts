// Node affinity on GPU Feature Discovery labels (--k8s-gfd): the node's driver must meet the
// stack's driver floor, and its GPUs must be ones the stack's kernels cover. Labels hold integers
// as strings, and Kubernetes has no "greater or equal", so each bound is written with Gt and Lt:
// `x >= n` is `x Gt n-1`, `x == n` is `x Gt n-1, x Lt n+1` (which also reads "06" as 6).
// Expressions within a term are ANDed and terms are ORed, so the terms are every driver range
// crossed with every GPU range.
import type { Matrix } from "../../matrix/data.js";
import { compare, parts } from "../../matrix/versions.js";
import { archKnown, archRange, canDrive } from "../../resolve/targets.js";
import type { Build, Resolution } from "../../resolve/types.js";

export interface Expression {
  key: string;
  operator: "Gt" | "Lt";
  values: [string];
}

export interface Term {
  /** what the term admits, for the comment above it */
  label: string;
  matchExpressions: Expression[];
}

const gt = (key: string, n: number): Expression => ({ key, operator: "Gt", values: [String(n)] });
const lt = (key: string, n: number): Expression => ({ key, operator: "Lt", values: [String(n)] });
const eq = (key: string, n: number): Expression[] => [gt(key, n - 1), lt(key, n + 1)];

/** Driver versions at or above `floor` (major.minor[.revision]). */
export function driverRanges(floor: string, m: Matrix): Term[] {
  const { driverMajor, driverMinor, driverRevision } = m.cluster.gfd.labels;
  const [major = 0, minor = 0, rev = 0] = parts(floor);
  const terms: Term[] = [];
  if (minor === 0 && rev === 0) return [{ label: `driver ${major} or newer`, matchExpressions: [gt(driverMajor, major - 1)] }];
  terms.push({ label: `driver ${major + 1} or newer`, matchExpressions: [gt(driverMajor, major)] });
  if (rev === 0) {
    terms.push({ label: `driver ${major}.${minor} or newer within ${major}`, matchExpressions: [...eq(driverMajor, major), gt(driverMinor, minor - 1)] });
  } else {
    terms.push({ label: `driver ${major}.${minor + 1} or newer within ${major}`, matchExpressions: [...eq(driverMajor, major), gt(driverMinor, minor)] });
    terms.push({ label: `driver ${floor} or a later ${major}.${minor} revision`, matchExpressions: [...eq(driverMajor, major), ...eq(driverMinor, minor), gt(driverRevision, rev - 1)] });
  }
  return terms;
}

/**
 * The build has kernels for the GPU; where our data does not list the build's architectures, the
 * GPU is at least one its CUDA release can target (no CUDA 13 build runs below sm_75).
 */
export function runsOn(b: Build, cc: string): boolean {
  if (archKnown(b)) return canDrive(b, cc);
  const lowest = lowestSm(b);
  return lowest === undefined || compare(cc, lowest) >= 0;
}

const lowestSm = (b: Build): string | undefined => b.cudaSm.map((s) => s.replace(/[af]$/, "")).sort(compare)[0];

interface CcRun {
  major: number;
  from: number;
  /** last covered minor, or null: every later minor of this major as well */
  to: number | null;
}

/**
 * The compute capabilities every build of the stack drives, among the GPUs in matrix/gpus.yaml
 * (and x.0 of each of their majors), as runs of minors per major. A run reaching the highest known minor of its major stays open
 * (a later GPU of the same major runs the same SASS); majors beyond the known ones are left out.
 */
export function coveredRuns(res: Resolution, m: Matrix): CcRun[] {
  const builds = res.builds;
  const ccs = [...new Set(m.gpus.gpus.map((g) => g.cc.replace(/[af]$/, "")))].map((cc) => parts(cc) as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const runs: CcRun[] = [];
  for (const major of [...new Set(ccs.map(([mj]) => mj))]) {
    // x.0 counts too, known GPU or not: the first GPU of a major need not be in our data.
    const minors = [...new Set([0, ...ccs.filter(([mj]) => mj === major).map(([, mn]) => mn)])].sort((a, b) => a - b);
    let open: CcRun | null = null;
    for (const [i, minor] of minors.entries()) {
      const ok = builds.every((b) => runsOn(b, `${major}.${minor}`));
      if (ok && open) open.to = minor;
      else if (ok) open = { major, from: minor, to: minor };
      if (ok && i === minors.length - 1) open!.to = null;
      if ((!ok || i === minors.length - 1) && open) {
        runs.push(open);
        open = null;
      }
    }
  }
  return runs;
}

/** GPU ranges as terms: whole majors merged (compute capability 5.0 to 9.x), partial ones on their own. */
export function gpuRanges(runs: CcRun[], m: Matrix): Term[] {
  const { computeMajor, computeMinor } = m.cluster.gfd.labels;
  const terms: Term[] = [];
  let whole: { from: number; to: number } | null = null;
  const flush = () => {
    if (!whole) return;
    terms.push({ label: `compute capability ${whole.from}.0 to ${whole.to}.x`, matchExpressions: [gt(computeMajor, whole.from - 1), lt(computeMajor, whole.to + 1)] });
    whole = null;
  };
  for (const r of runs) {
    if (r.from === 0 && r.to === null) {
      if (whole && whole.to === r.major - 1) whole.to = r.major;
      else {
        flush();
        whole = { from: r.major, to: r.major };
      }
      continue;
    }
    flush();
    const upper = r.to === null ? [] : [lt(computeMinor, r.to + 1)];
    terms.push({ label: `compute capability ${r.major}.${r.from}${r.to === null ? ` to ${r.major}.x` : r.to === r.from ? "" : ` to ${r.major}.${r.to}`}`, matchExpressions: [...eq(computeMajor, r.major), gt(computeMinor, r.from - 1), ...upper] });
  }
  flush();
  return terms;
}

export interface Affinity {
  terms: Term[];
  /** the driver floor and why, for the comment */
  driver: { floor: string; why: string };
  /** the GPU ranges' labels */
  gpus: string[];
  /** why those GPUs: the builds' kernels, or (where our data does not list them) what their CUDA can target */
  gpusWhy: string;
}

export function gfdAffinity(res: Resolution, m: Matrix): Affinity {
  const drivers = driverRanges(res.minDriver, m);
  const gpus = gpuRanges(coveredRuns(res, m), m);
  const terms = drivers.flatMap((d) => gpus.map((g) => ({ label: `${d.label}, ${g.label}`, matchExpressions: [...d.matchExpressions, ...g.matchExpressions] })));
  const gpusWhy = res.builds.map((b) => (archKnown(b) ? `${b.label} has kernels for ${archRange(b)}` : `our data does not list the architectures of ${b.label}'s kernels, and CUDA ${b.cuda} targets ${lowestSm(b) ? `sm_${lowestSm(b)!.replace(".", "")} and later` : "any GPU"}`)).join("; ");
  return { terms, driver: { floor: res.minDriver, why: res.driverFloors[0]?.why ?? "" }, gpus: gpus.map((g) => g.label), gpusWhy };
}

// (Request, Matrix) -> Resolution. Pure: no I/O, no logging; problems are thrown as UserError
// with every problem of the request, not only the first.
import type { Matrix } from "../matrix/data.js";
import { driverFloor, toolkit } from "../matrix/lookup.js";
import { compare, major, maxVersion, pinnedVersion, satisfies, satisfiesSpec, specsIntersect } from "../matrix/versions.js";
import { UserError, type Problem, type ProblemCode } from "../errors.js";
import type { Request } from "../request/types.js";
import { candidatesFor } from "./candidates.js";
import { planBase, stackNeeds, floorOf } from "./plan-base.js";
import { archKnown, archRange, canDrive, driverCannotDrive, ptxTooOld, resolveTargets } from "./targets.js";
import type { BasePlan, Build, CandidateNote, DriverFloor, Resolution, Target } from "./types.js";
import { stackWarnings } from "./warnings.js";
import { mirrorWarnings, unreplacedEndpoints, type Alternative } from "./mirror-warnings.js";
import { forPlatform, isArm64, platformReason } from "./platform.js";
import { planOnLaterMinor } from "./later-minor.js";
import { extraLeftOut } from "./install.js";

const MAX_COMBINATIONS = 20000;

type Reason = { kind: ProblemCode; text: string };

function buildFloor(m: Matrix, b: Build): DriverFloor {
  const tk = toolkit(m, b.cuda);
  return { driver: driverFloor(m, b.cuda) ?? "0", why: `${b.label} is built for CUDA ${b.cuda}`, source: tk?.source ?? "" };
}

function individualReasons(b: Build, req: Request, targets: Target[], m: Matrix): Reason[] {
  const reasons: Reason[] = [];
  if (req.cuda && !satisfies(b.cuda, req.cuda)) reasons.push({ kind: "no-matching-build", text: `CUDA ${b.cuda} is outside --cuda ${req.cuda}` });
  if (req.python && !b.python.includes(req.python)) reasons.push({ kind: "no-python", text: `no Python ${req.python} wheels (has ${b.python.join(", ")})` });
  const missing = archKnown(b) ? targets.filter((t) => !canDrive(b, t.cc)) : [];
  if (missing.length) {
    const why = missing.map((t) => ptxTooOld(b, t.cc)).find((w) => w !== null);
    reasons.push({ kind: "unsupported-gpu", text: `no kernels for ${missing.map((t) => t.label).join(", ")} (has ${archRange(b)}${why ? `; ${why}` : ""})` });
  }
  const platform = platformReason(b, req, m);
  if (platform) reasons.push({ kind: "no-matching-build", text: platform });
  if (!toolkit(m, b.cuda)) reasons.push({ kind: "no-matching-build", text: `CUDA ${b.cuda} is not in our CUDA table` });
  else if (req.driver) {
    const floor = buildFloor(m, b);
    if (compare(req.driver, floor.driver) < 0) reasons.push({ kind: "driver-too-old", text: `needs driver ${floor.driver} or newer for CUDA ${b.cuda}; --driver is ${req.driver}` });
  }
  return reasons;
}

interface Stack {
  builds: Build[];
  cuda: string;
  plan: BasePlan;
  minDriver: DriverFloor;
  floors: DriverFloor[];
  /** sources of a rule the stack relied on beyond its builds' own facts (a later CUDA minor) */
  ruleSources: string[];
}

/**
 * cuDNN wheels two pip-bundled builds cannot share. torch, TensorFlow and Paddle pin one cuDNN
 * (compared at the precision both give); JAX's wheels name a floor within a major.
 */
function cudnnClash(a: Build, b: Build): boolean {
  const floorOf = (x: Build) => (x.framework === "jax" ? x.cudnn! : null);
  const [fa, fb] = [floorOf(a), floorOf(b)];
  if (fa && fb) return major(fa) !== major(fb);
  if (fa || fb) {
    const floor = (fa ?? fb)!;
    const pin = (fa ? b : a).cudnn!;
    return major(pin) !== major(floor) || compare(pin, floor) < 0;
  }
  const pa = a.cudnn!.split(".");
  const pb = b.cudnn!.split(".");
  const n = Math.min(pa.length, pb.length);
  return pa.slice(0, n).join(".") !== pb.slice(0, n).join(".");
}

/** Two builds that require the same nvidia-* wheel at versions no one wheel meets. */
function wheelConflict(a: Build, b: Build): string | undefined {
  for (const wa of a.cudaWheels) {
    const wb = b.cudaWheels.find((w) => w.name === wa.name);
    if (!wb) continue;
    const pa = pinnedVersion(wa.spec);
    const pb = pinnedVersion(wb.spec);
    const clash = pa && pb ? pa !== pb : pa ? !satisfiesSpec(pa, wb.spec) : pb ? !satisfiesSpec(pb, wa.spec) : false;
    if (clash) return `${a.label} requires ${wa.name}${wa.spec} and ${b.label} requires ${wb.name}${wb.spec}: pip cannot install both`;
  }
  return undefined;
}

interface Bound {
  package: string;
  spec: string;
  ours: boolean;
}

/**
 * A build's bounds (its metadata's requires, then our caps) and the same grouped by package, made
 * once per build: a request of several frameworks compares every pair of their builds, tens of
 * thousands of pairs for `torch@* tf@* jax@* paddle@*`.
 */
const boundsOf = new WeakMap<Build, { list: Bound[]; byPackage: Map<string, Bound[]> }>();

function bounds(x: Build): { list: Bound[]; byPackage: Map<string, Bound[]> } {
  let known = boundsOf.get(x);
  if (!known) {
    const list = [...x.requires.map((r) => ({ package: r.package, spec: r.spec, ours: false })), ...x.caps.map((c) => ({ package: c.package, spec: c.spec, ours: true }))];
    const byPackage = new Map<string, Bound[]>();
    for (const r of list) byPackage.set(r.package, [...(byPackage.get(r.package) ?? []), r]);
    known = { list, byPackage };
    boundsOf.set(x, known);
  }
  return known;
}

/** Whether some version meets both specs; the same pairs come up again and again. */
const meetCache = new Map<string, boolean>();
function specsMeet(a: string, b: string): boolean {
  const key = `${a}\u0000${b}`;
  let known = meetCache.get(key);
  if (known === undefined) {
    known = specsIntersect([a, b]);
    meetCache.set(key, known);
  }
  return known;
}

/**
 * Two builds whose bounds on a shared package (declared in their metadata, or capped by us) no one
 * version meets: torch 2.7.1 requires typing-extensions>=4.10.0, TensorFlow 2.13.0 <4.6.0,>=3.6.6.
 */
function boundsConflict(a: Build, b: Build): string | undefined {
  const others = bounds(b).byPackage;
  for (const ra of bounds(a).list) {
    for (const rb of others.get(ra.package) ?? []) {
      if (specsMeet(ra.spec, rb.spec)) continue;
      const say = (x: Build, r: Bound) => (r.ours ? `${x.label} needs ${r.package}${r.spec} (a cap cuda-scaffold adds: it breaks on newer)` : `${x.label} requires ${r.package}${r.spec}`);
      return `${say(a, ra)} and ${say(b, rb)}: no version of ${ra.package} meets both`;
    }
  }
  return undefined;
}

/** What keeps two builds out of one environment, or null; each pair comes up in many combinations. */
const pairs = new WeakMap<Build, WeakMap<Build, string | null>>();
function pairConflict(a: Build, b: Build): string | null {
  let withA = pairs.get(a);
  if (!withA) pairs.set(a, (withA = new WeakMap()));
  let known = withA.get(b);
  if (known === undefined) {
    known = wheelConflict(a, b) ?? boundsConflict(a, b) ?? null;
    withA.set(b, known);
  }
  return known;
}

function conflictOf(builds: Build[]): string | undefined {
  if (builds.length < 2) return undefined;
  for (let i = 0; i < builds.length; i++) {
    for (let j = i + 1; j < builds.length; j++) {
      const clash = pairConflict(builds[i]!, builds[j]!);
      if (clash) return clash;
    }
  }
  const system = builds.filter((b) => !b.bundlesCuda);
  const systemCudas = [...new Set(system.map((b) => b.cuda))];
  if (systemCudas.length > 1) return `${system.map((b) => `${b.label} loads the system CUDA ${b.cuda}`).join(" but ")}: one image has one CUDA`;
  const majors = [...new Set(builds.map((b) => major(b.cuda)))];
  if (majors.length > 1) return `${builds.map((b) => `${b.label} (CUDA ${major(b.cuda)})`).join(" and ")} need CUDA libraries of different major versions, which pip cannot install side by side`;
  const pipCudnn = builds.filter((b) => b.bundlesCuda && b.cudnn);
  for (const [i, a] of pipCudnn.entries()) {
    for (const b of pipCudnn.slice(i + 1)) {
      if (cudnnClash(a, b)) return `${a.label} needs cuDNN ${a.cudnn}${a.framework === "jax" ? " or newer" : ""} and ${b.label} needs cuDNN ${b.cudnn}${b.framework === "jax" ? " or newer" : ""} (nvidia-cudnn wheels): pip cannot install both`;
    }
  }
  const systemCudnn = [...new Set(system.map((b) => b.cudnn).filter(Boolean))];
  if (systemCudnn.length > 1) return `${system.map((b) => `${b.label} needs cuDNN ${b.cudnn}`).join(" but ")}`;
  let pythons = builds[0]!.python;
  for (const b of builds.slice(1)) pythons = pythons.filter((p) => b.python.includes(p));
  if (pythons.length === 0) return `no Python version has wheels for all of ${builds.map((b) => `${b.label} (${b.python.join(", ")})`).join(", ")}`;
  return undefined;
}

function evaluate(builds: Build[], req: Request, m: Matrix): { ok: true; stack: Stack } | { ok: false; reason: Reason } {
  const conflict = conflictOf(builds);
  if (conflict) return { ok: false, reason: { kind: "conflict", text: conflict } };
  const system = builds.find((b) => !b.bundlesCuda);
  let cuda = system?.cuda ?? maxVersion(builds.map((b) => b.cuda))!;
  const needs = { ...stackNeeds(builds, cuda, req.variant, req.os, req.python, req.driver), arm64: isArm64(req) };
  let planned = planBase(m, needs);
  let ruleSources: string[] = [];
  if (!planned.ok) {
    const later = planOnLaterMinor(m, needs, builds, planned);
    if (!later.ok) return { ok: false, reason: { kind: planned.kind, text: later.reason } };
    ({ cuda, sources: ruleSources } = later);
    planned = { ok: true, plan: later.plan };
  }
  const floors = [...builds.map((b) => buildFloor(m, b)), ...planned.plan.floors].sort((a, b) => compare(b.driver, a.driver));
  const minDriver = floorOf(floors)!;
  if (req.driver && compare(req.driver, minDriver.driver) < 0) {
    return { ok: false, reason: { kind: "driver-too-old", text: `needs driver ${minDriver.driver} or newer (${minDriver.why}); --driver is ${req.driver}` } };
  }
  return { ok: true, stack: { builds, cuda, plan: planned.plan, minDriver, floors, ruleSources } };
}

/** Yields one build per spec, in preference order (first spec varies slowest). */
function* combinations(lists: Build[][]): Generator<Build[]> {
  const idx = lists.map(() => 0);
  if (lists.some((l) => l.length === 0)) return;
  for (;;) {
    yield idx.map((i, k) => lists[k]![i]!);
    let k = lists.length - 1;
    while (k >= 0 && ++idx[k]! >= lists[k]!.length) idx[k--] = 0;
    if (k < 0) return;
  }
}

/** Versions as runs of consecutive releases: "1.0.0–1.3.1, 2.0.0–2.14.1". */
export function versionRuns(ok: string[], all: string[]): string[] {
  const sortedAll = [...new Set(all)].sort(compare);
  const wanted = new Set(ok);
  const runs: string[] = [];
  let start: string | null = null;
  let prev: string | null = null;
  for (const v of sortedAll) {
    if (wanted.has(v)) {
      start ??= v;
      prev = v;
      continue;
    }
    if (start) runs.push(start === prev ? start : `${start}–${prev}`);
    start = prev = null;
  }
  if (start) runs.push(start === prev ? start : `${start}–${prev}`);
  return runs;
}

function versionsThatWork(all: Build[], req: Request, targets: Target[], m: Matrix): string[] {
  const ok = all.filter((b) => individualReasons(b, req, targets, m).length === 0).map((b) => b.version);
  return versionRuns(ok, all.map((b) => b.version));
}

/** Why each build was rejected (an empty list: it passed). */
type Verdicts = Map<Build, Reason[]>;

function noteOf(b: Build, verdicts: Verdicts, chosen: boolean): CandidateNote {
  const reasons = verdicts.get(b) ?? [];
  return { label: b.label, verdict: chosen ? "chosen" : reasons.length ? "rejected" : "viable", reasons: reasons.map((r) => r.text) };
}

function refusal(specLabel: string, builds: Build[], verdicts: Verdicts, alternatives: string[], floor?: string): Problem {
  const reasons = builds.flatMap((b) => verdicts.get(b) ?? []);
  const kinds = new Set(reasons.map((r) => r.kind));
  const code: ProblemCode = kinds.size === 1 ? [...kinds][0]! : kinds.has("unsupported-gpu") ? "unsupported-gpu" : kinds.has("driver-too-old") ? "driver-too-old" : "no-matching-build";
  const rejected = builds.filter((b) => (verdicts.get(b) ?? []).length > 0);
  const lines = rejected.slice(0, 8).map((b) => `  ${b.label}: ${verdicts.get(b)!.map((r) => r.text).join("; ")}`);
  const more = rejected.length > 8 ? [`  … and ${rejected.length - 8} more (cuda-scaffold explain shows all)`] : [];
  return {
    code,
    message: `No build of ${specLabel} fits the request:\n${[...lines, ...more].join("\n")}`,
    alternatives,
    hint: [
      floor ? `${specLabel} needs NVIDIA driver ${floor} or newer: upgrade the host driver to run it.` : "",
      alternatives.length ? `Versions that fit the request: ${alternatives.join(", ")}.` : "Relax --gpu, --driver, --cuda or --python.",
    ].filter(Boolean).join(" "),
  };
}

const specLabel = (spec: Request["specs"][number]) => `${spec.name}${spec.range ? `@${spec.range}` : ""}`;
const allBuildsOf = (spec: Request["specs"][number], m: Matrix) => (spec.name === "cuda" ? [] : candidatesFor({ name: spec.name, range: null }, m, []));
/** The builds a spec may resolve to, as installed on the request's platform. */
const buildsFor = (spec: Request["specs"][number], req: Request, m: Matrix, problems: Problem[]) => candidatesFor(spec, m, problems).map((b) => forPlatform(b, req, m));

/** Keeps the builds that pass the per-build rules, recording why each other one was rejected. */
function filterBuilds(lists: Build[][], req: Request, targets: Target[], m: Matrix, verdicts: Verdicts): Build[][] {
  return lists.map((list) =>
    list.filter((b) => {
      const reasons = individualReasons(b, req, targets, m);
      verdicts.set(b, reasons);
      return reasons.length === 0;
    }),
  );
}

/** A spec none of whose builds passes the per-build rules. */
function refuseSpec(k: number, lists: Build[][], req: Request, targets: Target[], m: Matrix, verdicts: Verdicts): Problem {
  const spec = req.specs[k]!;
  const all = lists[k]!;
  const driverBound = all.some((b) => verdicts.get(b)!.some((r) => r.kind === "driver-too-old"));
  const floor = driverBound ? all.map((b) => buildFloor(m, b).driver).sort(compare)[0] : undefined;
  return refusal(specLabel(spec), all, verdicts, versionsThatWork(allBuildsOf(spec, m), req, targets, m), floor);
}

/** The first combination, in preference order, that makes one environment. */
function search(survivors: Build[][], req: Request, m: Matrix, verdicts: Verdicts): { chosen?: Stack; conflicts: string[] } {
  const conflicts: string[] = [];
  let tried = 0;
  for (const combo of combinations(survivors)) {
    if (++tried > MAX_COMBINATIONS) break;
    const result = evaluate(combo, req, m);
    if (result.ok) return { chosen: result.stack, conflicts };
    if (combo.length === 1) verdicts.get(combo[0]!)!.push(result.reason);
    else if (conflicts.length < 12) conflicts.push(`${combo.map((b) => b.label).join(" + ")}: ${result.reason.text}`);
  }
  return { conflicts };
}

/** No combination made an environment: say why, and what would work. */
function refuseStack(lists: Build[][], req: Request, targets: Target[], m: Matrix, verdicts: Verdicts, conflicts: string[]): UserError {
  const label = req.specs.map(specLabel).join(" + ");
  if (req.specs.length > 1) {
    return new UserError([{ code: "conflict", message: `No one environment satisfies ${label}:\n${conflicts.slice(0, 6).map((c) => `  ${c}`).join("\n")}`, hint: "Choose versions that share a CUDA major, a cuDNN and the bounds named above (e.g. with --cuda, or an older or newer release of one framework), or install the frameworks in separate images." }]);
  }
  const everything = allBuildsOf(req.specs[0]!, m);
  const works = everything.filter((b) => individualReasons(b, req, targets, m).length === 0 && evaluate([b], req, m).ok);
  return new UserError([refusal(label, lists[0]!, verdicts, versionRuns(works.map((b) => b.version), everything.map((b) => b.version)))]);
}

/**
 * The first alternative request that resolves to a stack whose every endpoint the mirror set
 * serves (or can reach), or null. Tried in the order given, at most a bounded number.
 */
function firstThatWorks(alternatives: Alternative[], m: Matrix): Alternative | null {
  for (const alt of alternatives.slice(0, 24)) {
    try {
      const res = resolveStack(alt.req, m, { probe: true });
      if (!unreplacedEndpoints(m, alt.req, res.builds, res.plan).length) return alt;
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
    }
  }
  return null;
}

/** A probe's refusal: that the request does not resolve is all a probe needs (the reasons cost more than the search). */
const PROBE_REFUSED = new UserError([{ code: "conflict", message: "The alternative does not resolve." }]);

/**
 * `probe`: only whether the request resolves, and to what: no mirror warnings (which would try
 * alternatives of their own), and a refusal without its reasons and suggestions.
 */
export function resolveStack(req: Request, m: Matrix, opts: { probe?: boolean } = {}): Resolution {
  const problems: Problem[] = [];
  const targets = resolveTargets(req.gpu, m, problems);
  const lists = req.specs.map((s) => buildsFor(s, req, m, problems));
  if (req.driver) problems.push(...driverCannotDrive(targets, req.driver));
  if (problems.length) throw new UserError(problems);

  const verdicts: Verdicts = new Map();
  const survivors = filterBuilds(lists, req, targets, m, verdicts);
  if (opts.probe && survivors.some((list) => list.length === 0)) throw PROBE_REFUSED;
  survivors.forEach((list, k) => {
    if (list.length === 0) problems.push(refuseSpec(k, lists, req, targets, m, verdicts));
  });
  if (problems.length) throw new UserError(problems);

  const { chosen, conflicts } = search(survivors, req, m, verdicts);
  if (!chosen && opts.probe) throw PROBE_REFUSED;
  if (!chosen) throw refuseStack(lists, req, targets, m, verdicts, conflicts);

  const chosenVersions = new Map(chosen.builds.map((b) => [b.framework, b.version]));
  const candidates = lists
    .flat()
    .filter((b) => compare(b.version, chosenVersions.get(b.framework) ?? "0") >= 0)
    .map((b) => noteOf(b, verdicts, chosen.builds.includes(b)));
  const leftOut = chosen.builds.map((b) => extraLeftOut(b, chosen.plan.python.version)).flatMap((r) => (r ? [r.source, ...(r.sources ?? []), r.optionalSource] : []));
  const sources = [...new Set([...chosen.builds.flatMap((b) => b.sources), ...leftOut, ...chosen.plan.floors.map((f) => f.source), chosen.plan.base.image?.source, chosen.plan.os.source, ...chosen.ruleSources, ...(chosen.plan.laterCudnn?.sources ?? [])].filter((s): s is string => !!s))];
  return {
    request: req,
    builds: chosen.builds,
    cuda: chosen.cuda,
    // The cuDNN in the image when a framework loads it from there, else the one the wheels bring.
    // Where the build's cuDNN is a floor (matrix/library-compat.yaml) and the base carries a later
    // minor, or on a later CUDA minor: report the one installed.
    cudnn: (chosen.ruleSources.length ? chosen.plan.base.cudnn : undefined) ?? chosen.plan.laterCudnn?.version ?? [...chosen.builds].sort((a, b) => Number(a.bundlesCuda) - Number(b.bundlesCuda)).map((b) => b.cudnn).find((c): c is string => c !== null) ?? null,
    targets,
    plan: chosen.plan,
    image: chosen.plan.base.from,
    minDriver: chosen.minDriver.driver,
    driverFloors: chosen.floors,
    warnings: [
      ...chosen.plan.warnings,
      ...stackWarnings(chosen.builds, chosen.plan, chosen.minDriver, targets, m, req.driver, chosen.ruleSources.length ? chosen.cuda : null),
      ...(opts.probe ? [] : mirrorWarnings(m, req, chosen.builds, chosen.plan, (alts) => firstThatWorks(alts, m))),
    ],
    explain: { candidates, conflicts, sources },
    // An arm64 resolution also depends on matrix/arm64.yaml, which has its own version.
    matrixVersion: isArm64(req) ? `${m.version}+arm64.${m.arm64Version}` : m.version,
  };
}

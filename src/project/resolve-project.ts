// A read project + the command line -> the request and its resolution. The project's framework
// versions are kept; its CUDA and Python are preferences that win when the target allows them.
// When the target forces a different build, the change is recorded with why; when no build of the
// pinned version can run, the nearest version that can is named (and taken with --allow-upgrade).
import type { Matrix } from "../matrix/data.js";
import { UserError, type Problem } from "../errors.js";
import { compare, majorMinor } from "../matrix/versions.js";
import { parseRequest, type RawRequest } from "../request/parse-request.js";
import type { Request } from "../request/types.js";
import { resolveStack } from "../resolve/resolve-stack.js";
import type { Resolution } from "../resolve/types.js";
import { quote } from "./entries.js";
import { buildChanges, installPlan } from "./project-changes.js";
import { frameworkWishes, preferredCuda, pythonMeets, pythonWish, type FrameworkWish } from "./project-specs.js";
import type { ProjectRecord } from "./record.js";
import { LOOKED_FOR, type ProjectReading } from "./types.js";

export interface ProjectOptions {
  /** the project folder as recorded in the lock: relative to --out */
  recordDir: string;
  allowUpgrade: boolean;
}

type Attempt = { ok: true; req: Request; res: Resolution } | { ok: false; error: UserError };

const MAX_NEAREST_TRIES = 48;

function attempt(raw: RawRequest, m: Matrix): Attempt {
  try {
    const req = parseRequest(raw, m);
    return { ok: true, req, res: resolveStack(req, m) };
  } catch (err) {
    if (err instanceof UserError) return { ok: false, error: err };
    throw err;
  }
}

function noFramework(reading: ProjectReading): UserError {
  const read = reading.files.length ? `read ${reading.files.map((f) => f.path).join(", ")}` : "found none of the files it reads there";
  return new UserError([{
    code: "unknown-framework",
    message: reading.files.length
      ? `No framework found in the project ${reading.dir}: cuda-scaffold ${read} and looked there for torch (pytorch), tensorflow (tensorflow-gpu), jax (jaxlib) and paddlepaddle-gpu.`
      : `No framework given, and ${reading.dir} has no dependency file to read one from: cuda-scaffold ${read}.`,
    alternatives: ["torch", "tensorflow", "jax", "paddle"],
    hint: `It reads ${LOOKED_FOR.join(", ")}. Name the framework on the command line, and the project's other dependencies are still installed: e.g. cuda-scaffold torch@2.5.1 --project ${reading.dir}`,
  }]);
}

/** Known releases ordered by closeness to `anchor` (ties: the newer first), the ones that already failed left out. */
function byCloseness(all: string[], anchor: string | null, exclude: Set<string>): string[] {
  const sorted = [...all].sort(compare);
  const at = anchor === null ? sorted.length : sorted.filter((v) => compare(v, anchor) < 0).length;
  const score = (i: number) => (i >= at ? (i - at) * 2 : (at - i) * 2 - 1 + 0.5);
  return sorted.map((v, i) => ({ v, s: score(i) })).filter((x) => !exclude.has(x.v)).sort((a, b) => a.s - b.s).map((x) => x.v);
}

export function resolveProject(reading: ProjectReading, base: RawRequest, m: Matrix, opts: ProjectOptions): { req: Request; res: Resolution } {
  const typedSpecs = base.specs;
  const typedNames = new Set(typedSpecs.map((s) => s.split("@")[0]!.trim().toLowerCase()));
  const wishes = frameworkWishes(reading, m).filter((w) => !typedNames.has(w.framework) && !(w.framework === "torch" && typedNames.has("pytorch")) && !(w.framework === "tensorflow" && typedNames.has("tf")));
  if (!typedSpecs.length && !wishes.length) throw noFramework(reading);

  const hint = base.cuda === undefined ? preferredCuda(reading.cudaHints.filter((h) => !h.framework || !typedNames.has(h.framework))) : null;
  const python = pythonWish(reading.python);
  const pyExact = base.python === undefined ? python.exact : null;
  const specsOf = (ws: { w: FrameworkWish; range: string | null }[]) => [...typedSpecs, ...ws.map(({ w, range }) => (range ? `${w.framework}@${range}` : w.framework))];
  const rawWith = (specs: string[], cuda: string | undefined, py: string | undefined): RawRequest => ({ ...base, specs, cuda, python: py });

  // A version pin that no known release meets is not a build question: it goes straight to the nearest release.
  const unknown = wishes.find((w) => w.pins.some((p) => p.spec && !p.unpinnable) && w.matching.length === 0);
  let chosen = wishes.map((w) => ({ w, range: w.range }));
  const tries: [string | undefined, string | undefined][] = [];
  for (const cuda of [hint?.cuda, undefined]) for (const py of [pyExact ?? undefined, undefined]) if (!tries.some(([c, p]) => c === (cuda ?? base.cuda) && p === (py ?? base.python))) tries.push([cuda ?? base.cuda, py ?? base.python]);

  let result: Attempt | undefined;
  let firstError: UserError | undefined;
  if (!unknown) {
    for (const [cuda, py] of tries) {
      result = attempt(rawWith(specsOf(chosen), cuda, py), m);
      if (result.ok) break;
      firstError ??= result.error;
    }
  } else {
    const fw = m.frameworks[unknown.framework]!;
    firstError = new UserError([{ code: "unknown-version", message: `${fw.display} has no GPU release that meets ${unknown.label}.`, alternatives: [], hint: `Known ${unknown.framework} versions: \`cuda-scaffold list ${unknown.framework}\`.` }]);
  }

  const upgrades: string[] = [];
  if (!result?.ok) {
    // No build of the pinned versions runs here: look for the nearest release that does, one framework at a time.
    let found: { k: number; version: string; res: Attempt & { ok: true } } | undefined;
    let budget = MAX_NEAREST_TRIES;
    const order = [...chosen.keys()].sort((a, b) => Number(chosen[b]!.w === unknown) - Number(chosen[a]!.w === unknown));
    for (const k of order) {
      const { w } = chosen[k]!;
      if (found) break;
      const all = (m.frameworks[w.framework]?.releases ?? []).map((r) => r.version);
      for (const version of byCloseness(all, w.anchor, new Set(w.matching))) {
        if (budget-- <= 0) break;
        const trial = chosen.map((c, i) => (i === k ? { w: c.w, range: version } : c));
        for (const [cuda, py] of tries) {
          const r = attempt(rawWith(specsOf(trial), cuda, py), m);
          if (r.ok) {
            found = { k, version, res: r };
            break;
          }
        }
        if (found) break;
      }
    }
    const error = firstError!;
    if (!found) throw error;
    const w = chosen[found.k]!.w;
    const display = m.frameworks[w.framework]!.display;
    if (!opts.allowUpgrade) {
      const versions = w.matching.length === 1 ? w.matching[0] : `${w.matching[0]}–${w.matching[w.matching.length - 1]}`;
      const problem: Problem = {
        code: w === unknown ? "unknown-version" : error.problems[0]?.code ?? "no-matching-build",
        message: w === unknown
          ? `${w.label}: ${display} has no GPU release by that version in cuda-scaffold's data. The nearest ${display} version that runs here: ${w.framework} ${found.version}.`
          : `${w.label} cannot be met here: no build of ${w.framework} ${versions} fits the request. The nearest ${display} version that can: ${w.framework} ${found.version}.`,
        alternatives: [found.version],
        hint: `Pass --allow-upgrade to take ${w.framework} ${found.version} (the change is listed), or give a version on the command line: cuda-scaffold ${w.framework}@${found.version} --project ${reading.dir}`,
      };
      throw new UserError(w === unknown ? [problem] : [...error.problems.slice(0, 3), problem]);
    }
    upgrades.push(`${w.framework} ${w.anchor ?? "(unpinned)"} → ${found.version} (--allow-upgrade): ${w === unknown ? `${w.label} names no GPU release in cuda-scaffold's data` : `no build of ${w.label} fits this request`}`);
    chosen = chosen.map((c, i) => (i === found.k ? { w: c.w, range: found.version } : c));
    result = found.res;
  }

  // A Python range (requires-python) picks the newest Python the chosen builds have within it.
  let { req, res } = result as Attempt & { ok: true };
  const pythonChanges: string[] = [];
  if (base.python === undefined && python.range) {
    const builds = res.builds.filter((b) => b.framework !== "cuda");
    const common = builds.reduce<string[]>((acc, b) => acc.filter((p) => b.python.includes(p)), [...(builds[0]?.python ?? [])]);
    const fits = common.filter((p) => pythonMeets(p, python.range!)).sort(compare);
    const pick = fits[fits.length - 1];
    if (pick && pick !== res.plan.python.version) {
      const again = attempt(rawWith(specsOf(chosen), req.cuda ?? undefined, pick), m);
      if (again.ok) ({ req, res } = again);
    }
    if (!pythonMeets(res.plan.python.version, python.range)) {
      pythonChanges.push(`Python ${python.range} (${python.origin ? quote(python.origin.origin) : "the project"}) → ${res.plan.python.version}: ${builds.map((b) => `${b.label} has wheels for Python ${b.python.join(", ")}`).join("; ")}`);
    }
  }

  const plan = installPlan(reading, res);
  const changes = [
    ...typedSpecs.flatMap((s) => {
      const name = s.split("@")[0]!.trim().toLowerCase();
      const pins = reading.frameworks.filter((p) => p.framework === name || (name === "pytorch" && p.framework === "torch") || (name === "tf" && p.framework === "tensorflow"));
      return pins.length ? [`${pins.map((p) => quote(p.origin)).join(", ")} → ${s} from the command line`] : [];
    }),
    ...upgrades,
    ...buildChanges(reading, req, res, m, base.cuda),
    ...(pyExact && majorMinor(res.plan.python.version) !== pyExact ? [`Python ${pyExact} (${quote(python.origin!.origin)}) → ${res.plan.python.version}: ${res.builds.filter((b) => b.framework !== "cuda" && !b.python.includes(pyExact)).map((b) => `${b.label} has no Python ${pyExact} wheels`).join("; ") || "no base image carries it for this stack"}`] : []),
    ...pythonChanges,
    ...plan.changes,
  ];
  const record: ProjectRecord = {
    dir: opts.recordDir,
    files: reading.files.map((f) => ({ path: f.path, sha256: f.sha256 })),
    install: plan.install,
    local: plan.local,
    changes,
    notes: plan.notes,
    typed: { specs: typedSpecs, cuda: base.cuda ?? null, python: base.python ?? null },
    allowUpgrade: opts.allowUpgrade,
  };
  const finalReq: Request = { ...req, project: { requirements: false, pyproject: false, read: record } };
  return { req: finalReq, res: { ...res, request: finalReq } };
}

// A project's pins -> the specs, preferences and labels the resolver works with: each framework's
// pins become the matching known releases (as an exact version or a range of them), the CUDA hints
// one preferred CUDA, the Python pins an exact minor or a range.
import type { FrameworkName, Matrix } from "../matrix/data.js";
import { isUnverified } from "../matrix/lookup.js";
import { compare, satisfiesSpec, specsIntersect } from "../matrix/versions.js";
import { normalizeName } from "./pep508.js";
import { quote } from "./entries.js";
import type { CudaHint, FrameworkPin, ProjectReading, PythonPin } from "./types.js";

const MAIN_PACKAGES = new Set(["torch", "pytorch", "tensorflow", "tensorflow-gpu", "jax", "paddlepaddle", "paddlepaddle-gpu"]);

export interface FrameworkWish {
  framework: FrameworkName;
  pins: FrameworkPin[];
  /** known releases that meet every pin, oldest first */
  matching: string[];
  /** the spec range for the resolver: an exact version, runs of releases, or null for the newest */
  range: string | null;
  /** the version to measure "nearest" from */
  anchor: string | null;
  /** for messages: `torch==1.9.0` (requirements.txt line 3) */
  label: string;
}

/** The releases a set of pins allows; a pin on a companion package (jaxlib) matches through the builds' packages. */
function matchingReleases(m: Matrix, framework: FrameworkName, pins: FrameworkPin[]): string[] {
  const releases = [...(m.frameworks[framework]?.releases ?? [])].sort((a, b) => compare(a.version, b.version));
  // An unverified release (matrix: verified: false) is matched only by an exact pin, as the resolver
  // takes it only by its exact version; a range such as torch>=1.5 stops at the newest verified one.
  const exactly = (v: string) => pins.some((p) => [`==${v}`, `===${v}`].includes(p.spec.replace(/\s+/g, "")));
  return releases
    .filter((r) => !isUnverified(r) || exactly(r.version))
    .filter((r) =>
      pins.every((p) => {
        // tensorflow-gpu was published up to 2.11; 2.12.0 is a stub that refuses to install (TensorFlow's notes).
        if (p.package === "tensorflow-gpu" && compare(r.version, "2.12") >= 0) return false;
        if (!p.spec) return true;
        if (MAIN_PACKAGES.has(p.package)) return satisfiesSpec(r.version, p.spec) || r.builds.some((b) => b.packages.some((x) => MAIN_PACKAGES.has(normalizeName(x.name)) && satisfiesSpec(x.version.replace(/\+.*$/, ""), p.spec)));
        return r.builds.some((b) => b.packages.some((x) => normalizeName(x.name) === p.package && satisfiesSpec(x.version.replace(/\+.*$/, ""), p.spec)));
      }),
    )
    .map((r) => r.version);
}

/** Runs of consecutive known releases as a semver range: ">=1.10.1 <=1.12.1 || 1.13.1". */
export function runsRange(ok: string[], all: string[]): string {
  const sorted = [...all].sort(compare);
  const wanted = new Set(ok);
  const runs: string[][] = [];
  let run: string[] = [];
  for (const v of sorted) {
    if (wanted.has(v)) run.push(v);
    else if (run.length) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length) runs.push(run);
  return runs.map((r) => (r.length === 1 ? r[0]! : `>=${r[0]} <=${r[r.length - 1]}`)).join(" || ");
}

export function frameworkWishes(reading: ProjectReading, m: Matrix): FrameworkWish[] {
  const order = [...new Set(reading.frameworks.map((p) => p.framework))];
  return order.map((framework) => {
    const all = reading.frameworks.filter((p) => p.framework === framework);
    const pins = all.filter((p) => !p.unpinnable);
    const known = [...(m.frameworks[framework]?.releases ?? [])].map((r) => r.version);
    const matching = matchingReleases(m, framework, pins);
    const constrained = pins.some((p) => p.spec || p.package === "tensorflow-gpu");
    const label = (pins.find((p) => p.spec && !p.locked) ?? pins.find((p) => p.spec) ?? all[0]!).origin;
    const exact = pins.map((p) => /^==([0-9]+(?:\.[0-9]+)*)/.exec(p.spec)?.[1]).find((v): v is string => !!v);
    return {
      framework,
      pins: all,
      matching,
      range: !constrained ? null : matching.length === 0 ? null : matching.length === 1 ? matching[0]! : runsRange(matching, known),
      anchor: matching[matching.length - 1] ?? exact ?? null,
      label: quote(label),
    };
  });
}

/** The one CUDA the hints prefer: the most precise one (they agree; conflicts were refused); for one framework, its own and the global ones. */
export function preferredCuda(hints: CudaHint[], framework?: FrameworkName): CudaHint | null {
  const own = framework ? hints.filter((h) => !h.framework || h.framework === framework) : hints;
  return own.find((h) => h.cuda.includes(".")) ?? own[0] ?? null;
}

/** The Python pins combined: an exact minor ("3.8") when one is pinned, else the combined range. */
export function pythonWish(pins: PythonPin[]): { exact: string | null; range: string | null; origin: PythonPin | null } {
  const specs = pins.map((p) => p.spec).filter(Boolean);
  if (!specs.length || !specsIntersect(specs)) return { exact: null, range: null, origin: null };
  const exactPin = pins.find((p) => /^==[0-9]+\.[0-9]+\.\*$/.test(p.spec));
  const exact = exactPin ? /^==([0-9]+\.[0-9]+)\.\*$/.exec(exactPin.spec)![1]! : null;
  return { exact, range: specs.join(","), origin: exactPin ?? pins[0]! };
}

/** Does a Python minor ("3.10") meet a range at minor precision? */
export function pythonMeets(minor: string, range: string): boolean {
  return satisfiesSpec(minor, range);
}

// Pins that cannot all hold: the same framework pinned to versions no one release meets, Python
// ranges that do not meet, CUDA hints that name different CUDA releases. Each is a refusal that
// quotes both entries; a lock file resolved for several platforms at once is narrowed instead.
import { UserError, type Problem } from "../errors.js";
import { specsIntersect } from "../matrix/versions.js";
import { quote } from "./entries.js";
import type { CudaHint, FrameworkPin, ProjectReading } from "./types.js";

/** Packages whose versions are the same numbers (jaxlib has versions of its own). */
const VERSION_GROUP: Record<string, string> = { pytorch: "torch", "tensorflow-gpu": "tensorflow", paddlepaddle: "paddlepaddle-gpu" };
const group = (p: FrameworkPin) => VERSION_GROUP[p.package] ?? p.package;

function pinConflicts(pins: FrameworkPin[]): [FrameworkPin, FrameworkPin] | null {
  for (const [i, a] of pins.entries()) {
    for (const b of pins.slice(i + 1)) if (group(a) === group(b) && a.spec && b.spec && !specsIntersect([a.spec, b.spec])) return [a, b];
  }
  return null;
}

/** Two CUDA hints agree when they name the same release, or one names only the other's major. */
export function hintsAgree(a: string, b: string): boolean {
  if (a === b) return true;
  const [ma] = a.split(".");
  const [mb] = b.split(".");
  return (!a.includes(".") || !b.includes(".")) && ma === mb;
}

export function hintConflict(hints: CudaHint[]): [CudaHint, CudaHint] | null {
  for (const [i, a] of hints.entries()) {
    for (const b of hints.slice(i + 1)) if ((!a.framework || !b.framework || a.framework === b.framework) && !hintsAgree(a.cuda, b.cuda)) return [a, b];
  }
  return null;
}

export function checkConflicts(reading: ProjectReading): void {
  const problems: Problem[] = [];
  const frameworks = [...new Set(reading.frameworks.map((p) => p.framework))];
  for (const fw of frameworks) {
    const pins = reading.frameworks.filter((p) => p.framework === fw && !p.unpinnable);
    const declared = pins.filter((p) => !p.locked);
    const locked = pins.filter((p) => p.locked && !p.cpu);
    const lockedVersions = new Set(locked.map((p) => `${p.package} ${p.spec}`));
    if (lockedVersions.size > 1) {
      // A lock resolved for several platforms or extras: it pins nothing one image could take.
      reading.frameworks = reading.frameworks.filter((p) => !(p.framework === fw && p.locked));
      reading.warnings.push({ origin: locked[0]!.origin, message: `${locked[0]!.origin.file} locks ${fw} at several versions (${[...lockedVersions].join(", ")}); the other files' pins are used.` });
    }
    reading.frameworks = reading.frameworks.filter((p) => !(p.framework === fw && p.locked && p.cpu && locked.length > 0));
    const clash = pinConflicts(declared) ?? (lockedVersions.size <= 1 ? pinConflicts([...declared, ...locked]) : null);
    if (clash) {
      const [a, b] = clash;
      const lock = a.locked || b.locked;
      problems.push({
        code: "conflict",
        message: `The project pins ${fw} two ways that cannot both hold: ${quote(a.origin)} and ${quote(b.origin)}.`,
        hint: lock
          ? "The lock file is out of date with the project's declared dependencies: re-lock it (uv lock / poetry lock), or give the framework on the command line, e.g. cuda-scaffold torch@1.9.0 --project ."
          : "Make the files agree, or give the framework on the command line, which wins over the files (e.g. cuda-scaffold torch@1.9.0 --project .).",
      });
    }
  }
  const pythons = reading.python.filter((p) => p.spec);
  for (const [i, a] of pythons.entries()) {
    const b = pythons.slice(i + 1).find((x) => !specsIntersect([a.spec, x.spec]));
    if (b) {
      problems.push({ code: "conflict", message: `The project asks for Python two ways that cannot both hold: ${quote(a.origin)} and ${quote(b.origin)}.`, hint: "Make the files agree, or pin Python on the command line with --python." });
      break;
    }
  }
  const hints = hintConflict(reading.cudaHints);
  if (hints) {
    const [a, b] = hints;
    problems.push({ code: "conflict", message: `The project names two CUDA releases: ${a.via} in ${quote(a.origin)} and ${b.via} in ${quote(b.origin)}.`, hint: "Make the files agree, or choose one on the command line with --cuda." });
  }
  if (problems.length) throw new UserError(problems);
}

// What the chosen stack changes in the project's pins, each with why, and the lines installed after
// the framework: the project's other dependencies as written, less what the framework's build brings.
import type { FrameworkName, Matrix } from "../matrix/data.js";
import { preferredCuda } from "./project-specs.js";
import { candidatesFor } from "../resolve/candidates.js";
import { canDrive } from "../resolve/targets.js";
import { driverFloor } from "../matrix/lookup.js";
import { compare, major, majorMinor, satisfiesSpec } from "../matrix/versions.js";
import type { Request } from "../request/types.js";
import type { Build, Resolution } from "../resolve/types.js";
import { quote, unparsable } from "./entries.js";
import { safeLine } from "./record.js";
import type { Origin, ProjectReading } from "./types.js";

const cudaTag = (fw: string, cuda: string) => (fw === "torch" ? `cu${cuda.replace(".", "")}` : `CUDA ${cuda}`);

function sameCuda(built: string, wanted: string): boolean {
  return wanted.includes(".") ? majorMinor(built) === wanted : major(built) === Number(wanted);
}

/** Why `wanted` (a build of the same version) was not taken: the target's needs, in words. */
function whyNot(wanted: Build, req: Request, res: Resolution, m: Matrix, typedCuda: string | undefined): string {
  if (typedCuda !== undefined) return `--cuda ${typedCuda} was given`;
  const reasons: string[] = [];
  for (const t of res.targets) if (wanted.arch.length + wanted.ptx.length > 0 && !canDrive(wanted, t.cc)) reasons.push(`${t.input} needs sm_${t.cc.replace(".", "")}`);
  const floor = driverFloor(m, wanted.cuda);
  if (req.driver && floor && compare(req.driver, floor) < 0) reasons.push(`driver ${req.driver} is older than the ${floor} that CUDA ${wanted.cuda} needs`);
  if (req.python && !wanted.python.includes(req.python)) reasons.push(`it has no Python ${req.python} wheels`);
  if (reasons.length) return reasons.join(" and ");
  const note = res.explain.candidates.find((c) => c.label === wanted.label);
  if (note?.reasons.length) return note.reasons.join("; ");
  return "it does not combine with the rest of the stack";
}

export function buildChanges(reading: ProjectReading, req: Request, res: Resolution, m: Matrix, typedCuda: string | undefined): string[] {
  const changes: string[] = [];
  for (const b of res.builds.filter((x) => x.framework !== "cuda")) {
    const hint = typedCuda === undefined ? preferredCuda(reading.cudaHints, b.framework as FrameworkName) : null;
    const same = candidatesFor({ name: b.framework, range: b.version }, m, []).filter((x) => x.version === b.version);
    const baseline = hint?.cuda ?? same.find((x) => x.isDefault)?.cuda ?? null;
    const pins = reading.frameworks.filter((p) => p.framework === b.framework);
    for (const p of pins.filter((x) => x.unpinnable)) changes.push(`${quote(p.origin)} ${p.unpinnable}; ${b.label} is installed instead`);
    const cpu = pins.find((p) => p.cpu && !p.locked);
    if (cpu) changes.push(`${quote(cpu.origin)} names a CPU build; the GPU build ${b.label} is installed`);
    if (!baseline || sameCuda(b.cuda, baseline)) continue;
    const wanted = same.filter((x) => sameCuda(x.cuda, baseline)).sort((x, y) => Number(y.isDefault) - Number(x.isDefault))[0];
    const from = hint ? `${cudaTag(b.framework, baseline)} (${hint.via})` : `${cudaTag(b.framework, baseline)} (the default build)`;
    const why = wanted ? `because ${whyNot(wanted, req, res, m, typedCuda)}` : `because ${b.framework} ${b.version} has no ${cudaTag(b.framework, baseline)} build (it has ${same.map((x) => cudaTag(b.framework, x.cuda)).join(", ")})`;
    changes.push(`${b.framework} ${b.version}: ${from} → ${cudaTag(b.framework, b.cuda)} ${why}`);
  }
  return changes;
}

/** A find-links URL that names a torch build (PyG, OpenMMLab wheels) rewritten for the chosen one. */
function torchWheelUrl(line: string, torch: Build | undefined): string {
  if (!torch) return line;
  const tag = `cu${torch.cuda.replace(".", "")}`;
  return line
    .replace(/(data\.pyg\.org\/whl\/torch-)[0-9.]+\+(cu[0-9]+|cpu)(\.html)/, `$1${torch.version}+${tag}$3`)
    .replace(/(openmmlab\.com\/mmcv\/dist\/)(cu[0-9]+|cpu)\/torch[0-9.]+(\/index\.html)/, `$1${tag}/torch${torch.version}$3`);
}

function summary(origins: Origin[]): string {
  return origins.map((o) => `${o.text} (${o.file}${o.line !== null ? ` line ${o.line}` : ""})`).join(", ");
}

export function installPlan(reading: ProjectReading, res: Resolution): { install: string[]; local: string[]; changes: string[]; notes: string[] } {
  const changes: string[] = [];
  const notes: string[] = [];
  const builds = res.builds.filter((b) => b.framework !== "cuda");
  const torch = builds.find((b) => b.framework === "torch");
  const options: string[] = [];
  const requirements: string[] = [];
  const local: string[] = [];
  let lockPinned = 0;
  for (const d of reading.dependencies) {
    // Each line goes into a here-document of the Dockerfile: one printable line, never its delimiter.
    if (!safeLine(d.line)) throw unparsable(d.origin.file, d.origin.line, "holds a control character or the line `REQUIREMENTS`, which cannot go into the Dockerfile.");
    if (d.kind === "local") {
      local.push(d.line);
      continue;
    }
    if (d.kind === "option") {
      const line = torchWheelUrl(d.line, torch);
      if (line !== d.line) changes.push(`${quote(d.origin)} → \`${line}\`: the wheels for ${torch!.label}`);
      options.push(line);
      continue;
    }
    const locked = d.name ? reading.locked.get(d.name) : undefined;
    if (d.kind === "requirement" && locked && !/(^|[^=!<>~])==[0-9]/.test(d.line) && !d.line.includes(" @ ")) {
      const [head, marker] = d.line.split(/\s*;\s*/);
      const name = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?/.exec(head!)![0];
      requirements.push(`${name}==${locked.version}${marker ? `; ${marker}` : ""}`);
      lockPinned++;
      continue;
    }
    requirements.push(d.line);
  }
  if (lockPinned) notes.push(`${lockPinned} dependencies are pinned to the versions in ${[...reading.locked.values()][0]!.origin.file}.`);
  for (const c of reading.companions) {
    const pkg = builds.flatMap((b) => b.packages.map((p) => ({ p, b }))).find((x) => x.p.name.toLowerCase() === c.name);
    if (!pkg) {
      requirements.push(c.line);
      continue;
    }
    if (c.spec && !satisfiesSpec(pkg.p.version.replace(/\+.*$/, ""), c.spec)) changes.push(`${quote(c.origin)} → ${pkg.p.name} ${pkg.p.version}: the companion ${pkg.b.label} is built with`);
  }
  for (const r of reading.rewrites) if (r.to === null && !/CUDA library wheel/.test(r.why)) changes.push(`${quote(r.origin)} is not installed: ${r.why}`);
  for (const r of reading.rewrites) if (r.to !== null) changes.push(`${quote(r.origin)} → \`${r.to}\`: ${r.why}`);
  const wheels = reading.rewrites.filter((r) => r.to === null && /CUDA library wheel/.test(r.why));
  if (wheels.length) changes.push(`${wheels.length === 1 ? quote(wheels[0]!.origin) : `${wheels.length} nvidia-* CUDA library pins (${wheels[0]!.origin.file})`} not installed: ${builds.map((b) => b.label).join(" and ")} ${builds.length === 1 ? "brings" : "bring"} the CUDA libraries ${builds.length === 1 ? "it needs" : "they need"}`);
  for (const w of reading.warnings) notes.push(w.message);
  if (reading.condaOnly.length) notes.push(`conda-only packages with no PyPI equivalent are not installed: ${summary(reading.condaOnly)}; add them to the Dockerfile's OS packages if the project needs them.`);
  const provided = reading.notInstalled;
  if (provided.length) notes.push(`not installed: ${provided.map((p) => `${p.origin.text} (${p.why})`).join("; ")}.`);
  for (const s of reading.skipped) notes.push(`${s.path} was not read: ${s.why}.`);
  if (local.length) notes.push(`installed in the dev container, which mounts the project, not in the image: ${local.join(", ")} (run \`pip install ${local.join(" ")}\` there).`);
  // A bare name (`numpy`, from setup.py) next to a pin of the same package (`numpy==1.19.2`) adds nothing.
  const named = (l: string) => /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(l)?.[1]?.toLowerCase().replace(/[-_.]+/g, "-");
  const bare = (l: string) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(l);
  const kept = requirements.filter((l) => !bare(l) || !requirements.some((o) => o !== l && !bare(o) && named(o) === named(l) && !o.includes(";") && !o.includes(" @ ")));
  return { install: [...new Set([...options, ...kept])], local, changes, notes };
}

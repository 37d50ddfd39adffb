// What the user should know about a resolved stack (SPEC §3.5), beyond the base-image choice.
import type { Matrix } from "../matrix/data.js";
import { containerOs, isUnverified, pythonRelease, tool, toolkit, unverifiedReason } from "../matrix/lookup.js";
import { compare } from "../matrix/versions.js";
import { osEol } from "./plan-base.js";
import { archKnown, canDrive } from "./targets.js";
import type { BasePlan, Build, DriverFloor, Target, Warning } from "./types.js";

export function stackWarnings(builds: Build[], plan: BasePlan, floor: DriverFloor, targets: Target[], m: Matrix, hostDriver: string | null = null, stackCuda: string | null = null): Warning[] {
  const warnings: Warning[] = [];
  const asOf = m.platform.asOf;
  if (osEol(m, plan.os)) {
    const others = plan.supportedOses ?? [];
    const until = others.map((name) => `${name} (supported until ${containerOs(m, name)?.eol ?? "?"})`);
    const instead = others.length ? ` The same stack also builds on ${until.join(", ")}: pass --os ${others[0]}.` : "";
    warnings.push({ code: "os-eol", message: `${plan.os.name} reached end of standard support on ${plan.os.eol}; it gets no security updates. It is used because CUDA ${stackCuda ?? builds[0]?.cuda} is published for it.${instead}` });
  }
  const py = pythonRelease(m, plan.python.version);
  if (py && compare(py.eol.replace(/-/g, "."), asOf.replace(/-/g, ".")) < 0) {
    warnings.push({ code: "python-eol", message: `Python ${py.version} reached end of life on ${py.eol}; it is the newest Python this framework version supports.` });
  }
  const tk = toolkit(m, stackCuda ?? builds[0]?.cuda ?? "");
  if (tk && isUnverified(tk)) {
    warnings.push({ code: "unverified", message: `CUDA ${tk.version} is in our data as unverified: ${unverifiedReason(tk)} Check its driver floor (${tk.releases.map((r) => `${r.version}: ${r.driver}`).join(", ")}) before relying on it; see ${tk.source}.` });
  }
  for (const b of builds.filter((x) => x.unverified)) {
    warnings.push({ code: "release-unverified", message: `${b.display} ${b.version} is in our data as unverified: ${b.unverified!.reason} It is used only because ${b.version} was asked for by its exact version; check the build (${b.label}) before relying on it${b.unverified!.sources.length ? `; see ${b.unverified!.sources.join(", ")}` : ""}.` });
  }
  for (const b of builds.filter((x) => x.experimentalPython.includes(plan.python.version))) {
    warnings.push({ code: "python-experimental", message: `${b.display} marks Python ${plan.python.version} as experimental for ${b.label}; the newest officially supported Python is ${[...b.python].filter((p) => !b.experimentalPython.includes(p)).sort((x, y) => compare(y, x))[0] ?? "none"} (pass it with --python).` });
  }
  for (const b of builds.filter((x) => !archKnown(x))) {
    warnings.push({ code: "gpu-unverified", message: `Our data does not list the GPU architectures ${b.label}'s kernels cover, so --gpu cannot be checked for it; see ${b.sources[b.sources.length - 1] ?? "its build configuration"}.` });
  }
  if (targets.length === 0) {
    for (const b of builds.filter((x) => x.framework !== "cuda" && archKnown(x))) {
      const archs = new Map<string, string[]>();
      for (const g of m.gpus.gpus) {
        if (canDrive(b, g.cc)) continue;
        archs.set(g.architecture, [...(archs.get(g.architecture) ?? []), g.id]);
      }
      if (archs.size) {
        const list = [...archs].map(([arch, ids]) => `${arch} (${ids.slice(0, 3).join(", ")}${ids.length > 3 ? ", …" : ""})`).join("; ");
        warnings.push({ code: "gpu-not-covered", message: `${b.label} has no kernels for: ${list}. Pass --gpu with your GPUs to choose a build that drives them.` });
      }
    }
  }
  const common = tool(m, "commonDriver");
  // A host driver given with --driver that meets the floor needs no warning about other hosts.
  if (compare(floor.driver, common) > 0 && !(hostDriver && compare(hostDriver, floor.driver) >= 0)) {
    warnings.push({ code: "driver-floor-high", message: `The host needs NVIDIA driver ${floor.driver} or newer (${floor.why}); many hosts still run the ${common.split(".")[0]} branch. Check with nvidia-smi, or pass --driver to resolve for yours.` });
  }
  return warnings;
}

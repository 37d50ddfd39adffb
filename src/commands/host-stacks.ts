// What a host can run, from its facts and the matrix: GPU capabilities filled in from our GPU
// data where the driver does not report them, the newest CUDA the driver supports, and the
// newest build of each framework the driver and GPUs can run.
import type { Matrix } from "../matrix/data.js";
import { FRAMEWORK_NAMES, driverFloor } from "../matrix/lookup.js";
import { compare, majorMinor, newestFirst } from "../matrix/versions.js";
import { candidatesFor } from "../resolve/candidates.js";
import { archKnown, canDrive } from "../resolve/targets.js";
import type { GpuFacts, HostFacts } from "../doctor/index.js";

const normalize = (s: string): string => s.toLowerCase().replace(/^nvidia\s+/, "").replace(/[^a-z0-9]/g, "");

/** The GPU row a name as nvidia-smi prints it belongs to ("Tesla V100-SXM2-16GB" -> v100). */
export function gpuByName(m: Matrix, name: string) {
  const key = normalize(name).replace(/^(tesla|geforce|quadro)/, "");
  const rows = m.gpus.gpus
    .flatMap((g) => [g.id, ...(g.aliases ?? []), normalize(g.name).replace(/^(tesla|geforce|quadro)/, "")].map((k) => ({ k, g })))
    .filter(({ k }) => key.startsWith(k) || key.includes(k));
  return rows.sort((a, b) => b.k.length - a.k.length)[0]?.g;
}

export function withCapabilities(m: Matrix, gpus: GpuFacts[]): (GpuFacts & { computeCapabilitySource: "driver" | "matrix" | null })[] {
  return gpus.map((g) => {
    if (g.computeCapability) return { ...g, computeCapabilitySource: "driver" as const };
    const row = gpuByName(m, g.name);
    return { ...g, computeCapability: row?.cc ?? null, computeCapabilitySource: row ? ("matrix" as const) : null };
  });
}

/** The newest CUDA minor whose first release runs on the driver (when nvidia-smi does not say). */
export function newestCudaFor(m: Matrix, driver: string): string | null {
  const ok = m.cuda.toolkits.filter((t) => compare(driver, t.releases[0]!.driver) >= 0).map((t) => t.version);
  return ok.sort(newestFirst)[0] ?? null;
}

export interface FrameworkOnHost {
  framework: string;
  newest: { version: string; cuda: string; label: string } | null;
  /** CUDA builds (major.minor) of any release this host can run */
  cudaBuilds: string[];
}

export function hostStacks(m: Matrix, driver: string | null, ccs: string[]): FrameworkOnHost[] {
  if (!driver) return [];
  return FRAMEWORK_NAMES.filter((n) => m.frameworks[n]).map((name) => {
    const builds = candidatesFor({ name, range: null }, m, []).filter(
      (b) => compare(driver, driverFloor(m, b.cuda) ?? "999") >= 0 && (!archKnown(b) || ccs.every((cc) => canDrive(b, cc))),
    );
    const best = builds[0];
    return {
      framework: name,
      newest: best ? { version: best.version, cuda: best.cuda, label: best.label } : null,
      cudaBuilds: [...new Set(builds.map((b) => majorMinor(b.cuda)))].sort(compare),
    };
  });
}

/** The first driver of each of the host's GPUs that our data knows (one row per distinct GPU). */
export function gpuFloors(m: Matrix, gpus: GpuFacts[]): { gpu: string; minDriver: string; source: string }[] {
  const rows = new Map<string, { gpu: string; minDriver: string; source: string }>();
  for (const g of gpus) {
    const row = gpuByName(m, g.name);
    if (row?.minDriver && row.minDriverSource) rows.set(row.id, { gpu: g.name, minDriver: row.minDriver, source: row.minDriverSource });
  }
  return [...rows.values()];
}

export function hostFactsSummary(m: Matrix, facts: HostFacts) {
  const gpus = withCapabilities(m, facts.gpus);
  const cuda = facts.cuda ?? (facts.driver ? newestCudaFor(m, facts.driver) : null);
  const ccs = gpus.map((g) => g.computeCapability).filter((c): c is string => c !== null);
  return { gpus, cuda, stacks: hostStacks(m, facts.driver, ccs) };
}

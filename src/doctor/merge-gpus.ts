// Merges the GPU lists of several nvidia-smi outputs. The list of the first source (in order of
// precedence) that lists any GPU is kept as is; the others only fill fields it lacks, matched by
// PCI bus id, else UUID, else index, else position (when they list as many GPUs).
import type { GpuFacts, GpuReport } from "./types.js";
import { busKey, MAX_LIST_LENGTH } from "./text-values.js";

const stripEllipsis = (name: string) => name.replace(/\.\.\.$/, "");

/** Names agree when one is a prefix of the other (the table truncates long names with "..."). */
function sameName(a?: string, b?: string): boolean {
  if (a === undefined || b === undefined) return true;
  const [x, y] = [stripEllipsis(a), stripEllipsis(b)];
  return x.startsWith(y) || y.startsWith(x);
}

function partner(gpu: GpuReport, position: number, count: number, other: GpuReport[]): GpuReport | undefined {
  if (gpu.busId && other.some((o) => o.busId)) return other.find((o) => o.busId && busKey(o.busId) === busKey(gpu.busId!));
  if (gpu.uuid) {
    const byUuid = other.find((o) => o.uuid === gpu.uuid);
    if (byUuid) return byUuid;
  }
  const candidate =
    gpu.index !== undefined && other.some((o) => o.index !== undefined)
      ? other.find((o) => o.index === gpu.index)
      : other.length === count
        ? other[position]
        : undefined;
  return candidate && sameName(gpu.name, candidate.name) ? candidate : undefined;
}

function fill(into: GpuReport, from: GpuReport): void {
  for (const key of Object.keys(from) as (keyof GpuReport)[]) {
    if (into[key] === undefined) (into as Record<string, unknown>)[key] = from[key];
  }
}

function toFacts(g: GpuReport): GpuFacts {
  const facts: GpuFacts = { name: g.name ?? "unknown", computeCapability: g.computeCapability ?? null };
  if (g.memoryMiB !== undefined) facts.memoryMiB = g.memoryMiB;
  if (g.busId !== undefined) facts.busId = g.busId;
  if (g.architecture !== undefined) facts.architecture = g.architecture;
  if (g.fabricState !== undefined) facts.fabricState = g.fabricState;
  return facts;
}

/** `lists` in order of precedence; each is cut to MAX_LIST_LENGTH GPUs (matching is quadratic). */
export function mergeGpus(all: GpuReport[][]): GpuFacts[] {
  const lists = all.map((l) => l.slice(0, MAX_LIST_LENGTH));
  const primary = lists.findIndex((l) => l.length > 0);
  if (primary < 0) return [];
  const merged = lists[primary]!.map((g) => ({ ...g }));
  lists.forEach((other, i) => {
    if (i === primary) return;
    merged.forEach((gpu, position) => {
      const match = partner(gpu, position, merged.length, other);
      if (match) fill(gpu, match);
    });
  });
  return merged.map(toFacts);
}

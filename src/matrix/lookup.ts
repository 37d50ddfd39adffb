// Lookups over the matrix that every stage shares. Pure functions of (matrix, key).
import type { Matrix, FrameworkName } from "./data.js";
import type { ContainerOs, CudaImage, CudaToolkit, FrameworkMatrix, PythonRelease } from "./types.gen.js";
import { compare, majorMinor, newestFirst } from "./versions.js";

/**
 * A CUDA row or framework release marked `verified: false` (some of its facts have no primary
 * source): the resolver takes it only when it is named, never by default or for a range.
 */
export const isUnverified = (row: { verified?: false }): boolean => row.verified === false;

/** Why a row is unverified, as the data says or, where it says nothing, in general. */
export const unverifiedReason = (row: { unverifiedReason?: string }): string => row.unverifiedReason ?? "some of its facts have no primary source";

export const FRAMEWORK_NAMES: readonly FrameworkName[] = ["torch", "tensorflow", "jax", "paddle"];

export function framework(m: Matrix, name: FrameworkName): FrameworkMatrix | undefined {
  return m.frameworks[name];
}

const toolkitIndex = new WeakMap<Matrix, Map<string, CudaToolkit>>();

/** The toolkit row of a CUDA minor (X.Y) or of the minor of a release (X.Y.Z); indexed once per matrix. */
export function toolkit(m: Matrix, cudaMinor: string): CudaToolkit | undefined {
  let index = toolkitIndex.get(m);
  if (!index) {
    index = new Map();
    // The first row of a minor wins, as a search of the list would find it.
    for (const t of m.cuda.toolkits) if (!index.has(t.version)) index.set(t.version, t);
    toolkitIndex.set(m, index);
  }
  return index.get(majorMinor(cudaMinor));
}

/** Driver floor of a CUDA release (X.Y.Z) or, for X.Y, of its first release. */
export function driverFloor(m: Matrix, cuda: string): string | undefined {
  const tk = toolkit(m, cuda);
  if (!tk) return undefined;
  const exact = tk.releases.find((r) => compare(r.version, cuda) === 0);
  return (exact ?? tk.releases[0])?.driver;
}

export function latestRelease(tk: CudaToolkit): string {
  return [...tk.releases].map((r) => r.version).sort(newestFirst)[0] ?? tk.version;
}

export function containerOs(m: Matrix, name: string): ContainerOs | undefined {
  return m.platform.os.find((o) => o.name === name);
}

export function pythonRelease(m: Matrix, version: string): PythonRelease | undefined {
  return m.platform.python.find((p) => p.version === version);
}

const imageIndex = new WeakMap<Matrix, Map<string, CudaImage[]>>();

/** nvidia/cuda rows of one CUDA minor on one OS, newest first (indexed once per matrix). */
export function imagesForMinor(m: Matrix, cudaMinor: string, os: string): CudaImage[] {
  let index = imageIndex.get(m);
  if (!index) {
    index = new Map();
    for (const i of m.images.images) {
      const key = `${majorMinor(i.cuda)} ${i.os}`;
      index.set(key, [...(index.get(key) ?? []), i]);
    }
    for (const rows of index.values()) rows.sort((a, b) => newestFirst(a.cuda, b.cuda));
    imageIndex.set(m, index);
  }
  return index.get(`${cudaMinor} ${os}`) ?? [];
}

export function tool(m: Matrix, key: string): string {
  const t = m.platform.tools[key];
  if (!t) throw new Error(`matrix/platform.yaml has no tool "${key}"`);
  return t.value;
}

/** A tool pattern from the data with its {PLACEHOLDERS} filled: fillTool(m, "cudaRpmRepoFile", { REPO: "rhel9" }). */
export function fillTool(m: Matrix, key: string, values: Record<string, string>): string {
  return tool(m, key).replace(/\{([A-Z]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The nvidia/cuda tag of an image row for a flavour, with or without a cuDNN variant. */
export function imageTag(image: CudaImage, flavor: "base" | "runtime" | "devel", cudnnTag?: string): string {
  return cudnnTag ? `${image.cuda}-${cudnnTag}-${flavor}-${image.os}` : `${image.cuda}-${flavor}-${image.os}`;
}

// The matrix: YAML in matrix/ is validated and precompiled at build time (scripts/compile-data.mjs),
// so nothing parses YAML at run time. generated/matrix.js holds the small parts (versions,
// framework names and aliases); each larger part (cuda, images, gpus, …, a framework's index of
// releases, each release's builds) is a JSON file in data/ beside it, read and parsed the first
// time it is used (scripts/data-parts.mjs lays them out). `resolve torch@1.9.0` so parses torch's
// index and the builds of 1.9.0 alone, never jax's, and `--version` parses nothing.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import raw, { dataDir } from "../../generated/matrix.js";
import type { Arm64Matrix, ClusterMatrix, CompanionMatrix, CondaPackageMatrix, CudaMatrix, ExperimentalPythonMatrix, FrameworkMatrix, GpuMatrix, ImageMatrix, LibraryCompatMatrix, MirrorMatrix, NvidiaPackageMatrix, PlatformMatrix, WheelPlatformMatrix } from "./types.gen.js";

export type FrameworkName = "torch" | "tensorflow" | "jax" | "paddle";

export interface Matrix {
  version: string;
  frameworks: Partial<Record<FrameworkName, FrameworkMatrix>>;
  cuda: CudaMatrix;
  images: ImageMatrix;
  gpus: GpuMatrix;
  platform: PlatformMatrix;
  wheelPlatforms: WheelPlatformMatrix;
  companions: CompanionMatrix;
  nvidiaPackages: NvidiaPackageMatrix;
  experimentalPython: ExperimentalPythonMatrix;
  /** which system CUDA/cuDNN a system-library build runs on beyond its exact pair (matrix/library-compat.yaml) */
  libraryCompat: LibraryCompatMatrix;
  cluster: ClusterMatrix;
  mirrors: MirrorMatrix;
  /** the version of the cluster facts alone (matrix/cluster.yaml) */
  clusterVersion: string;
  /** linux/arm64 facts (matrix/arm64.yaml); its `repos` row also gives the x86_64 repository path of NVIDIA's CUDA repositories */
  arm64: Arm64Matrix;
  /** the version of the arm64 facts alone, recorded only in arm64 locks */
  arm64Version: string;
  /** conda package names in a project's environment.yml (matrix/conda-packages.yaml); read only by
   * src/project, and not in `version`: a lock keeps what came of them (request.project) */
  condaPackages: CondaPackageMatrix;
}

/** Where compile-data left a part out of its parent (generated/matrix.js, or a part of parts). */
interface PartRef {
  $file: string;
}

/** A part whose repeated string columns compile-data stored once (scripts/data-parts.mjs). */
interface InternedPart {
  $interned: { at: (string | number)[]; key: string; values: string[] }[];
  $value: unknown;
}

const isPartRef = (v: unknown): v is PartRef => typeof v === "object" && v !== null && typeof (v as PartRef).$file === "string";
const isInterned = (v: unknown): v is InternedPart => typeof v === "object" && v !== null && Array.isArray((v as InternedPart).$interned);

/** A part as stored, with each stored-once column's strings put back into its rows. */
export function restoreColumns(part: unknown): unknown {
  if (!isInterned(part)) return part;
  for (const { at, key, values } of part.$interned) {
    const rows = at.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], part.$value) as Record<string, unknown>[];
    for (const row of rows) if (typeof row[key] === "number") row[key] = values[row[key] as number];
  }
  return part.$value;
}

function readPart(file: string): unknown {
  const path = join(dataDir, file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`cuda-scaffold's data file ${file} could not be read (${(err as NodeJS.ErrnoException).code ?? err}) at ${path}: the installation is incomplete.`);
  }
  const parsed: unknown = JSON.parse(text);
  const value = restoreColumns(parsed);
  // A part can hold references of its own (a framework's releases, each release's builds).
  return text.includes('"$file"') && typeof value === "object" && value !== null ? hydrate(value) : value;
}

/** An ordinary property from the first read on (and from any assignment). */
function settle(obj: object, key: string, value: unknown): unknown {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/** Replaces each part reference, at any depth, with a property that reads the part when first used. */
function hydrate<T extends object>(node: T): T {
  for (const [key, value] of Object.entries(node)) {
    if (isPartRef(value)) {
      Object.defineProperty(node, key, {
        enumerable: true,
        configurable: true,
        get: () => settle(node, key, readPart(value.$file)),
        set: (v: unknown) => settle(node, key, v),
      });
    } else if (typeof value === "object" && value !== null) {
      hydrate(value);
    }
  }
  return node;
}

export const matrix = hydrate(raw as object) as Matrix;

// The embedded matrix: YAML in matrix/ is validated and precompiled to generated/matrix.json at
// build time (scripts/compile-data.mjs), so nothing parses YAML at run time.
import raw from "../../generated/matrix.js";
import type { CompanionMatrix, CudaMatrix, ExperimentalPythonMatrix, FrameworkMatrix, GpuMatrix, ImageMatrix, NvidiaPackageMatrix, PlatformMatrix, WheelPlatformMatrix } from "./types.gen.js";

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
}

export const matrix = raw as unknown as Matrix;

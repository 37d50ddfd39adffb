import type { FrameworkName } from "../matrix/data.js";
import type { ContainerOs, CudaImage, ExtraUnavailable, PipPackage } from "../matrix/types.gen.js";
import type { Request } from "../request/types.js";

export type WarningCode =
  | "base-image-deleted"
  | "base-image-unavailable"
  | "base-image-eol"
  | "os-eol"
  | "python-eol"
  | "python-experimental"
  | "gpu-not-covered"
  | "gpu-unverified"
  | "driver-floor-high"
  | "dev-without-nvcc"
  | "cuda-minor-newer"
  | "unverified"
  | "release-unverified"
  | "no-mirror";

export interface Warning {
  code: WarningCode;
  message: string;
}

/** One build of one framework, as the resolver sees it (a bare CUDA request is a build too). */
export interface Build {
  framework: FrameworkName | "cuda";
  display: string;
  version: string;
  cuda: string;
  cudnn: string | null;
  isDefault: boolean;
  bundlesCuda: boolean;
  packages: PipPackage[];
  /** nvidia-* CUDA library wheels the packages require, with their specifiers */
  cudaWheels: { name: string; spec: string }[];
  /** an extra of the packages the package index cannot install (matrix/frameworks extraUnavailable); src/resolve/install.ts says when it applies */
  extraUnavailable: ExtraUnavailable | null;
  /** the wheels' platform tag and the glibc it needs (null: no binary wheels, bare CUDA) */
  wheelPlatform: { tag: string; glibc: string; source: string } | null;
  /** bounds we add to the install and the constraints (matrix/companions.yaml) */
  caps: { package: string; spec: string; why: string; source: string }[];
  /** bounds the packages' own metadata declares on shared packages */
  requires: { package: string; spec: string; source: string }[];
  pip: { indexUrl?: string; extraIndexUrl?: string; findLinks?: string };
  python: string[];
  /** Pythons the framework marked experimental for this release */
  experimentalPython: string[];
  /** for builds that load the system CUDA/cuDNN: how far those may stray from the pair built with (matrix/library-compat.yaml) */
  systemLibs: { cudnnFloor: boolean; newerCudaMinor: boolean; sources: string[] } | null;
  /** for builds that load the system CUDA libraries: the bare names (libcublas.so) their loader dlopens, which the image links to its versioned libraries (matrix/library-compat.yaml unversionedNames) */
  unversionedNames: { names: string[]; sources: string[] } | null;
  /** for builds that load the system CUDA and compile GPU code when the program runs (XLA): what compiles, and the sources (matrix/library-compat.yaml runtimeCompiler) */
  runtimeCompiler: { why: string; sources: string[] } | null;
  /** for builds that compile host (C) code when the program runs (Triton): what compiles, and the sources (matrix/library-compat.yaml hostCompiler) */
  hostCompiler: { why: string; sources: string[] } | null;
  arch: string[];
  ptx: string[];
  /** the architectures the build's CUDA release can target (matrix/cuda.yaml sm), for PTX */
  cudaSm: string[];
  sources: string[];
  /** for a release marked verified: false in matrix/frameworks: why, and the sources that suggest it exists */
  unverified?: { reason: string; sources: string[] };
  /** short label: torch 1.9.0+cu102 */
  label: string;
}

export interface Target {
  /** as the user typed it */
  input: string;
  /** a100 (A100), sm_80 */
  label: string;
  cc: string;
  /** the first NVIDIA driver that supports this GPU (matrix/gpus.yaml), when named by GPU and known */
  minDriver?: { driver: string; source: string };
}

/** How one image stage gets its CUDA. */
export interface StagePlan {
  from: string;
  kind: "nvidia" | "os";
  /** the nvidia/cuda row, when kind is nvidia */
  image?: CudaImage;
  /** NVIDIA packages installed on top from NVIDIA's repository */
  packages: string[];
  /** package files downloaded on their own and installed with the packages (cuDNN from NVIDIA's retired machine-learning repository) */
  downloads: { url: string; file: string; sha256: string | null }[];
  /** the cuDNN version of the nvidia/cuda image's cuDNN variant, when it has one */
  cudnn?: string;
  /** CUDA release the stage carries (X.Y.Z, or X.Y when installed from the repository) */
  cuda: string | null;
  why: string;
}

export interface BasePlan {
  os: ContainerOs;
  /** the shared base stage = the final image */
  base: StagePlan;
  /** packages the dev stage adds for nvcc, less those the base stage installs (empty when the base is a devel image) */
  devPackages: string[];
  /**
   * CUDA's ptxas and libdevice in the base stage (NVIDIA's nvcc package of the stack's CUDA), for
   * builds that compile GPU code when the program runs (matrix/library-compat.yaml runtimeCompiler),
   * where the base is not a devel image; absent otherwise
   */
  compiler?: { packages: string[]; labels: string[]; why: string[]; sources: string[] };
  python: { version: string; source: "uv" | "system" };
  /**
   * The cuDNN the base carries when it is a later minor than the one the build was compiled with,
   * which the build accepts (matrix/library-compat.yaml cudnnFloor); absent otherwise
   */
  laterCudnn?: { version: string; sources: string[] };
  /** when the OS is out of support and no --os chose it: supported OSes the same stack also builds on */
  supportedOses?: string[];
  floors: DriverFloor[];
  warnings: Warning[];
}

export interface DriverFloor {
  driver: string;
  why: string;
  source: string;
}

export interface CandidateNote {
  label: string;
  verdict: "chosen" | "viable" | "rejected";
  reasons: string[];
}

export interface Resolution {
  request: Request;
  builds: Build[];
  cuda: string;
  cudnn: string | null;
  targets: Target[];
  plan: BasePlan;
  image: string;
  minDriver: string;
  /** every driver floor of the stack, highest first */
  driverFloors: DriverFloor[];
  warnings: Warning[];
  explain: { candidates: CandidateNote[]; conflicts: string[]; sources: string[] };
  matrixVersion: string;
}

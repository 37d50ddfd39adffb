import type { FrameworkName } from "../matrix/data.js";

export type Variant = "devel" | "runtime" | "base";

export interface Spec {
  /** canonical name */
  name: FrameworkName | "cuda";
  /** version or range as typed, null for "newest" */
  range: string | null;
}

/** What the user asked for, validated. Everything the render depends on is in here. */
export interface Request {
  specs: Spec[];
  cuda: string | null;
  python: string | null;
  /** GPU names or compute capabilities, as typed (lower-cased) */
  gpu: string[];
  driver: string | null;
  os: string | null;
  variant: Variant;
  name: string;
  /** docker --gpus style: "all", a count, or device ids */
  gpus: string;
  /** files the project already has, so the Dockerfile installs them after the framework */
  project: { requirements: boolean; pyproject: boolean };
}

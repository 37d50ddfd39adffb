import type { FrameworkName } from "../matrix/data.js";
import type { ClusterRequest } from "../cluster/options.js";
import type { ProjectRecord } from "../project/record.js";
import type { MirrorChoice } from "../mirrors/types.js";

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
  project: { requirements: boolean; pyproject: boolean; read?: ProjectRecord };
  /** cluster files (--with k8s,slurm); absent without --with, so other requests and their locks are unchanged */
  cluster?: ClusterRequest;
  /** mirrors for the endpoints the files fetch from (--mirror); absent without --mirror, so other requests and their locks are unchanged */
  mirror?: MirrorChoice;
  /** the image's platform when it is not linux/amd64 (--platform, or an arm64-only --gpu); absent for linux/amd64, so other requests and their locks are unchanged */
  platform?: "linux/arm64";
  /** the container engine the files and the host script are for (--engine); absent for docker, so other requests and their locks are unchanged */
  engine?: "podman";
}

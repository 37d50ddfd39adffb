// The cluster files (--with k8s,slurm), rendered from the same resolution as the other files, one
// template per file (templates/cluster/). Pure: nothing here touches the disk.
import type { Matrix } from "../../matrix/data.js";
import type { ClusterRequest } from "../../cluster/options.js";
import type { ImageRef } from "../../cluster/image-ref.js";
import { fail } from "../../errors.js";
import type { Resolution } from "../../resolve/types.js";
import { renderTemplate } from "../templates.js";
import { clusterContext, hasTrainJob, jobView, multinodeView, sbatchView, trainJobView } from "./views.js";
import { findLauncher, launchBuild } from "./launch.js";

export const CLUSTER_FILES = {
  job: "k8s/job.yaml",
  multinode: "k8s/train-multinode.yaml",
  trainJob: "k8s/trainjob.yaml",
  sbatch: "slurm/train.sbatch",
  pyxis: "slurm/train-pyxis.sbatch",
} as const;

export interface ClusterFile {
  path: string;
  content: string;
  mode: number;
}

/** Refuses a cluster request the resolved stack cannot run (before anything is rendered or written). */
export function checkCluster(res: Resolution, m: Matrix, cluster: ClusterRequest): void {
  const build = launchBuild(res);
  const launcher = findLauncher(m, build);
  if (cluster.nodes > 1 && launcher.multiNode === false) {
    fail({
      code: "conflict",
      message: `--nodes ${cluster.nodes}: ${build.label} cannot be started across nodes the way the cluster files do it (${launcher.note ?? launcher.source}).`,
      hint: `Use --nodes 1, or a newer ${build.display} (see cuda-scaffold list ${build.framework}).`,
    });
  }
}

/** The cluster files, each starting with `header` (the generated-file header as # comments). */
export function renderCluster(res: Resolution, m: Matrix, cluster: ClusterRequest, header: string, image: ImageRef): ClusterFile[] {
  checkCluster(res, m, cluster);
  const ctx = clusterContext(res, m, cluster, image);
  const files: ClusterFile[] = [];
  const add = (path: string, template: string, view: object, mode = 0o644) => files.push({ path, content: renderTemplate(template, view), mode });
  if (cluster.with.includes("k8s")) {
    add(CLUSTER_FILES.job, "cluster/k8s/job.yaml", jobView(ctx, header));
    if (cluster.nodes > 1) add(CLUSTER_FILES.multinode, "cluster/k8s/train-multinode.yaml", multinodeView(ctx, header));
    if (hasTrainJob(ctx)) add(CLUSTER_FILES.trainJob, "cluster/k8s/trainjob.yaml", trainJobView(ctx, header));
  }
  if (cluster.with.includes("slurm")) {
    add(CLUSTER_FILES.sbatch, "cluster/slurm/train.sbatch", sbatchView(ctx, header, false), 0o755);
    add(CLUSTER_FILES.pyxis, "cluster/slurm/train-pyxis.sbatch", sbatchView(ctx, header, true), 0o755);
  }
  return files;
}

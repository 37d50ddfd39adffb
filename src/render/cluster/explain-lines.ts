// `explain … --with k8s,slurm`: why each scheduling line of the cluster files exists, with the
// facts' sources. Pure; the command prints the lines.
import type { Matrix } from "../../matrix/data.js";
import type { ImageRef } from "../../cluster/image-ref.js";
import type { Resolution } from "../../resolve/types.js";
import { checkCluster, CLUSTER_FILES } from "./render-cluster.js";
import { gfdAffinity } from "./gfd-affinity.js";
import { clusterContext, hasTrainJob, ncclEnv } from "./views.js";

export function clusterExplainLines(res: Resolution, m: Matrix, image: ImageRef, lockHash: string): string[] {
  const cluster = res.request.cluster!;
  checkCluster(res, m, cluster);
  const ctx = clusterContext(res, m, cluster, image);
  const c = m.cluster;
  const k = c.kubernetes;
  const { plan } = ctx;
  const k8s = cluster.with.includes("k8s");
  const slurm = cluster.with.includes("slurm");
  const sources = new Set<string>();
  const line = (label: string, text: string, source?: string) => {
    if (source) sources.add(source);
    return `  ${label.padEnd(14)} ${text}`;
  };
  const lines = [`cluster files (--with ${cluster.with.join(",")}: ${cluster.nodes} node${cluster.nodes === 1 ? "" : "s"} × ${ctx.gpus} GPU${ctx.gpus === 1 ? "" : "s"}):`];
  lines.push(line("image", `${image.reference}: the tag is the start of the sha256 of the lock file this request writes without --with (${lockHash.slice(0, 12)}…), so it changes exactly when the stack does${image.pushed ? "" : "; no --registry, so it names a local image"}`));
  lines.push(line("launcher", `${plan.launcher.command.join(" ")} for ${plan.build.label}: ${plan.multi.why} (Kubernetes); ${plan.slurm.why} (Slurm)`, plan.launcher.source));
  const affinity = gfdAffinity(res, m);
  const floor = `driver ≥ ${affinity.driver.floor} because ${affinity.driver.why}`;
  const gpus = `GPUs of ${affinity.gpus.join(" or ")}, because ${affinity.gpusWhy}`;
  if (k8s) {
    lines.push(line("GPUs", `${k.gpuResource.name}: ${ctx.gpus} in limits and in requests — ${k.gpuResource.why}`, k.gpuResource.source));
    lines.push(line("toleration", `${k.toleration.key} ${k.toleration.operator} ${k.toleration.effect} — ${k.toleration.why}`, k.toleration.source));
    lines.push(line("/dev/shm", `emptyDir, medium Memory, sizeLimit ${k.shm.sizeLimit} — ${k.shm.why}`, k.shm.source));
    lines.push(line("containers", k.otherContainers.why, k.otherContainers.source));
    lines.push(line("pod security", `runAsNonRoot, runAsUser ${k.podSecurity.uid}, runAsGroup ${k.podSecurity.gid}, seccomp ${k.podSecurity.seccompProfile}, no privilege escalation, capabilities dropped (${k.podSecurity.dropCapabilities.join(", ")}) — ${k.podSecurity.why}`, k.podSecurity.source));
    lines.push(line("fsGroup", `${k.fsGroup.gid} — ${k.fsGroup.why}`, k.fsGroup.source));
    lines.push(line("runtimeClass", `${cluster.runtimeClass ?? "left out (--runtime-class <name> sets it)"} — ${k.runtimeClass.why}`, k.runtimeClass.source));
    if (cluster.k8sGfd) {
      lines.push(line("node affinity", `${floor}; ${gpus} (GPU Feature Discovery ${c.gfd.since} labels: ${Object.values(c.gfd.labels).join(", ")})`, c.gfd.source));
    } else {
      lines.push(line("node affinity", `none; --k8s-gfd would require ${floor} and ${gpus}`, c.gfd.source));
    }
    lines.push(cluster.nodes > 1 ? line("multi-node", `${CLUSTER_FILES.multinode}: an Indexed Job of ${cluster.nodes} pods and a headless Service; ${plan.multi.why}`, "https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode") : line("multi-node", `${CLUSTER_FILES.multinode} is written only with --nodes > 1`));
    const runtime = c.trainer.runtimes.find((r) => r.framework === plan.build.framework);
    lines.push(
      hasTrainJob(ctx)
        ? line("TrainJob", `${c.trainer.apiVersion} (Kubeflow Trainer ${c.trainer.release}, ${c.trainer.released}) on ${runtime!.name}: ${c.trainer.why}`, c.trainer.crdSource)
        : line("TrainJob", `not written: ${runtime ? `the ${runtime.name} runtime expects torchrun (torch 1.9 or later) or JAX 0.3.14 or later` : `Kubeflow Trainer ${c.trainer.release} has no runtime for ${plan.build.display}`}`, c.trainer.source),
    );
  }
  if (slurm) {
    lines.push(line("GPUs", `--gpus-per-node=${ctx.gpus} — ${c.slurm.gpusPerNode.why}`, c.slurm.gpusPerNode.source));
    lines.push(line("driver check", `${floor}: the batch script stops on an older driver before starting the container`));
    lines.push(line("node list", c.slurm.nodeList.why, c.slurm.nodeList.source));
    lines.push(line("apptainer", `${c.apptainer.gpuFlag} — ${c.apptainer.why}`, c.apptainer.source));
    lines.push(line("caches", `APPTAINER_CACHEDIR and APPTAINER_TMPDIR under $SCRATCH (or $CUDA_SCAFFOLD_CACHE) — ${c.apptainer.cacheDir.why}`, c.apptainer.cacheDir.source));
    lines.push(line("user site", `PYTHONNOUSERSITE=1 — ${c.apptainer.userSite.why}`, c.apptainer.userSite.source));
    lines.push(line("pyxis", `--container-image=${image.pyxis} — ${c.pyxis.why}`, c.pyxis.source));
    lines.push(line("pyxis env", `--container-env: pyxis ${c.pyxis.containerEnv.since} or later — ${c.pyxis.containerEnv.why}`, c.pyxis.containerEnv.source));
  }
  const nccl = ncclEnv(ctx);
  if (nccl.length) for (const n of nccl) lines.push(line("NCCL", `${n.name}=${n.value} — ${n.why}`, c.nccl.find((x) => x.name === n.name)?.source));
  else lines.push(line("NCCL", "nothing set: one GPU in all, so no NCCL traffic"));
  lines.push("", "cluster sources:", ...[...sources].map((s) => `  ${s}`));
  return lines;
}

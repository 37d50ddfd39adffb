// Resolution + cluster request -> the flat views the cluster templates read. Every choice and all
// encoding happen here: values that land in YAML are JSON scalars (via the `json` helper), values
// that land in shell are quoted here, comments are plain text wrapped here.
import type { Matrix } from "../../matrix/data.js";
import type { ClusterRequest } from "../../cluster/options.js";
import type { ImageRef } from "../../cluster/image-ref.js";
import type { Resolution } from "../../resolve/types.js";
import { commentText, shellQuote, shellWord } from "../quote.js";
import { gfdAffinity } from "./gfd-affinity.js";
import { JAX_INIT, launchPlan, type EnvVar, type LaunchPlan } from "./launch.js";

/** Where the project is inside the containers (the Dockerfile's WORKDIR). */
export const WORKSPACE = "/workspace";
/** Kubernetes object names are cut to this, so that pod host names (`<name>-multinode-<index>`) stay DNS labels. */
const K8S_NAME_MAX = 40;
/**
 * What tells the two Jobs apart (k8s/job.yaml and k8s/train-multinode.yaml): applying both must not
 * find the other's Job under the same name, and the headless Service must select only the
 * multi-node pods. `app.kubernetes.io/component` is one of Kubernetes' recommended labels.
 */
export const JOB_KINDS = {
  single: { suffix: "", component: "single-node" },
  multi: { suffix: "-multinode", component: "multinode" },
} as const;

/** Comment text wrapped at word boundaries (a long word stays whole). */
export function wrap(text: string, width = 92): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of commentText(text).split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/**
 * A Kubernetes name from the project name: Docker's `_` separators become `-`, a leading digit
 * gets a `job-` prefix (Services and TrainJobs need a DNS-1035 label, which starts with a letter).
 */
export function k8sName(name: string): string {
  const dashed = name.replace(/_/g, "-");
  const lettered = /^[a-z]/.test(dashed) ? dashed : `job-${dashed}`;
  return lettered.slice(0, K8S_NAME_MAX).replace(/-+$/, "");
}

export interface ClusterContext {
  res: Resolution;
  m: Matrix;
  cluster: ClusterRequest;
  gpus: number;
  image: ImageRef;
  name: string;
  /** the multi-node Job's and headless Service's name: its pods are <multiName>-<index>.<multiName> */
  multiName: string;
  plan: LaunchPlan;
}

export function clusterContext(res: Resolution, m: Matrix, cluster: ClusterRequest, image: ImageRef): ClusterContext {
  const gpus = Number(res.request.gpus);
  const name = k8sName(res.request.name);
  const multiName = `${name}${JOB_KINDS.multi.suffix}`;
  return { res, m, cluster, gpus, image, name, multiName, plan: launchPlan(res, m, gpus, cluster.nodes, multiName) };
}

/** NCCL variables the run needs: only with more than one GPU (or node), each with its reason. */
export function ncclEnv(ctx: ClusterContext, nodes = ctx.cluster.nodes): EnvVar[] {
  const several = { "several-gpus": ctx.gpus * nodes > 1, "several-nodes": nodes > 1 };
  return ctx.m.cluster.nccl.filter((n) => several[n.when]).map((n) => ({ name: n.name, value: n.value, why: n.why }));
}

function envView(env: EnvVar[]) {
  return env.map((e) => ({ why: wrap(e.why), name: e.name, value: e.value ?? "", completionIndex: !!e.completionIndex }));
}

function imageLines(ctx: ClusterContext): string[] {
  const { image } = ctx;
  return wrap(
    image.pushed
      ? `The image is the Dockerfile's runtime target, pushed as ${image.reference} (README, "Run it on a cluster"); its tag comes from the lock file's hash, so a changed stack gets a new tag.`
      : `No --registry was given: ${image.reference} names a local image. Push it where the nodes pull from and regenerate with --registry <prefix> (README, "Run it on a cluster").`,
  );
}

/** What every pod needs, whichever manifest it is in. */
function podView(ctx: ClusterContext, nodes: number) {
  const { m, cluster } = ctx;
  const k = m.cluster.kubernetes;
  const affinity = cluster.k8sGfd ? gfdAffinity(ctx.res, m) : null;
  const t = k.toleration;
  return {
    name: ctx.name,
    image: ctx.image.reference,
    imageLines: imageLines(ctx),
    workspace: WORKSPACE,
    workspaceClaim: `${ctx.name}-workspace`,
    workspaceLines: wrap(`The project (${"train.py"} and what it reads) comes from the volume claim ${ctx.name}-workspace, created once${nodes > 1 ? " with ReadWriteMany access, since every node mounts it" : ""} (README, "Run it on a cluster"); the image holds the stack, not the code.`),
    gpuResource: k.gpuResource.name,
    gpus: String(ctx.gpus),
    gpuLines: wrap(`${ctx.gpus} GPU${ctx.gpus === 1 ? "" : "s"} per pod. ${k.gpuResource.why}`),
    toleration: { key: t.key, operator: t.operator, effect: t.effect },
    tolerationLines: wrap(t.why),
    runtimeClass: cluster.runtimeClass,
    runtimeClassLines: wrap(`--runtime-class ${cluster.runtimeClass ?? ""}: ${k.runtimeClass.why}`),
    shmSize: k.shm.sizeLimit,
    shmLines: wrap(k.shm.why),
    otherContainersLines: wrap(k.otherContainers.why),
    arch: { key: k.archLabel.key, value: ctx.res.request.platform === "linux/arm64" ? "arm64" : "amd64" },
    archLines: wrap(`${ctx.res.request.platform ?? "linux/amd64"} nodes only: ${k.archLabel.why}`),
    cpu: String(m.cluster.perGpu.cpus * ctx.gpus),
    memory: `${m.cluster.perGpu.memoryGi * ctx.gpus + Number.parseInt(k.shm.sizeLimit, 10)}Gi`,
    resourceLines: wrap(`${m.cluster.perGpu.cpus} CPUs and ${m.cluster.perGpu.memoryGi} GiB per GPU, and the ${k.shm.sizeLimit} of /dev/shm: ${k.resources.why}`),
    podSecurity: { uid: k.podSecurity.uid, gid: k.podSecurity.gid, seccompProfile: k.podSecurity.seccompProfile, dropCapabilities: k.podSecurity.dropCapabilities },
    podSecurityLines: wrap(k.podSecurity.why),
    fsGroup: k.fsGroup.gid,
    fsGroupLines: wrap(k.fsGroup.why),
    affinity: affinity
      ? {
          lines: [
            ...wrap(`--k8s-gfd: only nodes whose labels from GPU Feature Discovery (${m.cluster.gfd.since} or later) show driver ${affinity.driver.floor} or newer (${affinity.driver.why}) and GPUs of ${affinity.gpus.join(" or ")} (${affinity.gpusWhy}).`),
            ...wrap("Kubernetes ORs the terms and ANDs the expressions within a term; the labels hold integers, and Gt n-1 means n or more."),
          ],
          terms: affinity.terms.map((term) => ({ label: commentText(term.label), expressions: term.matchExpressions })),
        }
      : null,
  };
}

export function jobView(ctx: ClusterContext, header: string) {
  const { plan } = ctx;
  return {
    header,
    ...podView(ctx, 1),
    jobName: `${ctx.name}${JOB_KINDS.single.suffix}`,
    component: JOB_KINDS.single.component,
    intro: wrap(`One node, ${ctx.gpus} GPU${ctx.gpus === 1 ? "" : "s"}: kubectl apply -f k8s/job.yaml; kubectl logs -f job/${ctx.name}. ${plan.build.label} is launched with ${plan.single.slice(0, -1).join(" ") || plan.single[0]}.`),
    command: plan.single,
    env: envView(ncclEnv(ctx, 1)),
  };
}

export function multinodeView(ctx: ClusterContext, header: string) {
  const { plan, cluster } = ctx;
  const port = plan.launcher.port ?? 29500;
  return {
    header,
    ...podView(ctx, cluster.nodes),
    jobName: ctx.multiName,
    component: JOB_KINDS.multi.component,
    intro: wrap(`${cluster.nodes} nodes, ${ctx.gpus} GPU${ctx.gpus === 1 ? "" : "s"} each, with built-in Kubernetes only: an Indexed Job runs one pod per node (index 0 to ${cluster.nodes - 1}) and a headless Service gives each pod a DNS name (${ctx.multiName}-0.${ctx.multiName}); its names and labels differ from k8s/job.yaml's, so both can be applied. ${plan.multi.why}. kubectl apply -f k8s/train-multinode.yaml`),
    nodes: cluster.nodes,
    port,
    command: plan.multi.command,
    env: envView([...plan.multi.env, ...ncclEnv(ctx)]),
  };
}

export function trainJobView(ctx: ClusterContext, header: string) {
  const { m, cluster, plan } = ctx;
  const t = m.cluster.trainer;
  const runtime = t.runtimes.find((r) => r.framework === plan.build.framework)!;
  // The runtime's torch plugin sets the node count, rank and master; torchrun reads them (PET_*).
  const command = plan.launcher.style === "torchrun" ? [...plan.launcher.command, plan.single[plan.single.length - 1]!] : plan.single;
  return {
    header,
    ...podView(ctx, cluster.nodes),
    intro: wrap(`The same run as a Kubeflow Trainer ${t.apiVersion} TrainJob (Trainer ${t.release}, ${t.released}) on the ClusterTrainingRuntime ${runtime.name}, which the Trainer installs: kubectl apply -f k8s/trainjob.yaml.`),
    runtimeClassNote: cluster.runtimeClass ? wrap(`--runtime-class ${cluster.runtimeClass}: a TrainJob cannot set runtimeClassName (Trainer ${t.release} patches no such field); set it in the ${runtime.name} runtime's pod template.`) : [],
    apiVersion: t.apiVersion,
    runtime: runtime.name,
    job: runtime.job,
    container: runtime.container,
    manager: t.patchManager,
    nodes: cluster.nodes,
    numProcPerNode: runtime.numProcPerNode ? ctx.gpus : null,
    numProcLines: wrap(`One process per GPU, said outright: a runtime left to infer it has run one process per node (NVIDIA/aicr#2280).`),
    command,
    commandLines: wrap(plan.launcher.style === "torchrun" ? `The runtime sets PET_NNODES, PET_NPROC_PER_NODE, PET_NODE_RANK, PET_MASTER_ADDR and PET_MASTER_PORT, which ${plan.launcher.command.join(" ")} reads; the image's working directory is ${WORKSPACE}.` : `The runtime sets JAX_COORDINATOR_ADDRESS, which jax.distributed.initialize() reads, and JAX_NUM_PROCESSES and JAX_PROCESS_ID, which it does not: ${plan.launcher.command.join(" ")} ${plan.single[plan.single.length - 1]} must call ${JAX_INIT} (a bare initialize() stops with "Number of processes must be defined"). The image's working directory is ${WORKSPACE}.`),
    env: envView(ncclEnv(ctx)),
  };
}

/** The TrainJob needs a Trainer runtime for the framework, and the launcher it expects. */
export function hasTrainJob(ctx: ClusterContext): boolean {
  const { plan, m } = ctx;
  return m.cluster.trainer.runtimes.some((r) => r.framework === plan.build.framework) && (plan.launcher.style === "torchrun" || plan.launcher.style === "jax-env") && plan.launcher.multiNode !== false;
}

export function sbatchView(ctx: ClusterContext, header: string, pyxis: boolean) {
  const { m, cluster, plan, image, res } = ctx;
  const a = m.cluster.apptainer;
  const perGpu = plan.slurm.tasksPerNode === "gpus";
  const env = ncclEnv(ctx).map((e) => ({ lines: wrap(e.why), assignment: `${e.name}=${shellQuote(e.value!)}`, name: e.name }));
  const per = m.cluster.perGpu;
  const gpusPerTask = perGpu ? 1 : ctx.gpus;
  const sl = m.cluster.slurm;
  return {
    header,
    jobName: ctx.name,
    nodes: cluster.nodes,
    tasksPerNode: perGpu ? ctx.gpus : 1,
    cpusPerTask: per.cpus * gpusPerTask,
    memPerGpu: `${per.memoryGi}G`,
    resourceLines: wrap(`${per.cpus} CPUs and ${per.memoryGi} GB of memory per GPU: ${per.why} ${sl.cpusPerTask.why} ${sl.memPerGpu.why} sbatch --cpus-per-task=N or --mem-per-gpu=M overrides them.`),
    srunCpusLines: wrap(sl.srunCpus.why),
    gpus: ctx.gpus,
    gpusLines: wrap(m.cluster.slurm.gpusPerNode.why),
    usage: wrap(`${pyxis ? "With pyxis (srun --container-image)" : "With Apptainer"}, in the project root: sbatch slurm/${pyxis ? "train-pyxis" : "train"}.sbatch [script and arguments, default train.py]. ${plan.build.label}: ${plan.slurm.why}. The directives below are defaults; sbatch --nodes=N or --gpus-per-node=G overrides them.`),
    imageLines: imageLines(ctx),
    imageSh: shellWord(pyxis ? image.pyxis : image.apptainer),
    pyxisLines: wrap(`${m.cluster.pyxis.why} Syntax: ${m.cluster.pyxis.imageSyntax}.`),
    requirementLines: pyxis ? wrap(`Needs pyxis ${m.cluster.pyxis.containerEnv.since} or later on the cluster: ${m.cluster.pyxis.containerEnv.why}`) : [],
    sifSh: shellWord(`${ctx.name}-${image.tag}.sif`),
    cacheLines: wrap(`${a.cacheDir.why} Set CUDA_SCAFFOLD_CACHE to choose another directory; every node must see it.`),
    userSiteLines: wrap(a.userSite.why),
    nvLines: wrap(a.why),
    minDriverSh: shellWord(res.minDriver),
    driverWhySh: shellWord(res.driverFloors[0]?.why ?? ""),
    driverLines: wrap(`Stops early on a node whose driver is older than ${res.minDriver} (${res.driverFloors[0]?.why ?? "the stack's floor"}), which would fail inside the container with a less clear error.`),
    nodeListLines: wrap(m.cluster.slurm.nodeList.why),
    port: plan.launcher.port ?? 29500,
    prelude: plan.slurm.prelude,
    env,
    containerEnv: ["PYTHONNOUSERSITE", ...env.map((e) => e.name)].join(","),
    workspace: WORKSPACE,
    bodySh: shellWord(plan.slurm.body),
  };
}

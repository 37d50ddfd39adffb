// --with, --nodes, --registry, --runtime-class and --k8s-gfd -> the cluster part of a Request.
// Checked like every other option before anything is resolved: each problem is collected, and a
// refused request writes nothing.
import { suggest, type Problem } from "../errors.js";
import { MAX_NAME, registryProblem } from "./image-ref.js";

export type ClusterTarget = "k8s" | "slurm";
export const CLUSTER_TARGETS: readonly ClusterTarget[] = ["k8s", "slurm"];

/** The cluster files asked for, validated. Absent from a Request (and its lock) without --with. */
export interface ClusterRequest {
  /** in the order of CLUSTER_TARGETS, each once */
  with: ClusterTarget[];
  /** nodes of the run */
  nodes: number;
  /** where the image is pushed: `<registry>/<name>:<tag>`; null = a local reference */
  registry: string | null;
  /** RuntimeClass for the pods; null = left out */
  runtimeClass: string | null;
  /** node affinity on GPU Feature Discovery labels */
  k8sGfd: boolean;
}

export interface RawCluster {
  with?: string | undefined;
  nodes?: string | undefined;
  registry?: string | undefined;
  runtimeClass?: string | undefined;
  k8sGfd?: boolean | undefined;
}

/** More nodes than this is a typo, not a run. */
export const MAX_NODES = 4096;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const show = (value: string): string => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

function parseWith(value: string, problems: Problem[]): ClusterTarget[] {
  const asked = value.split(",").map((t) => t.trim().toLowerCase());
  const unknown = asked.filter((t) => !CLUSTER_TARGETS.includes(t as ClusterTarget));
  for (const t of unknown) {
    const close = /^[a-z0-9_-]{1,40}$/.test(t) ? suggest(t, CLUSTER_TARGETS) : [];
    problems.push({
      code: "invalid-value",
      message: t === "" ? `--with ${show(value)} has an empty entry.` : `--with ${show(t)} is not a cluster target${close.length ? `: did you mean ${close.join(" or ")}?` : "."}`,
      alternatives: [...CLUSTER_TARGETS],
      hint: "Use --with k8s, --with slurm or --with k8s,slurm.",
    });
  }
  return unknown.length ? [] : CLUSTER_TARGETS.filter((t) => asked.includes(t));
}

function checkGpus(gpus: string | undefined, targets: string, problems: Problem[]): void {
  if (gpus !== undefined && /^[1-9][0-9]{0,2}$/.test(gpus)) return;
  // Anything that is no GPU selection at all is reported once, by the --gpus check itself.
  if (gpus !== undefined && !/^(all|none|(0|[1-9][0-9]*|GPU-[0-9a-fA-F-]+)(,(0|[1-9][0-9]*|GPU-[0-9a-fA-F-]+))*)$/.test(gpus)) return;
  const why =
    gpus === undefined
      ? "needs the GPUs per node as a count, and --gpus was not given"
      : gpus === "all"
        ? "needs the GPUs per node as a count: a cluster schedules a number of GPUs, and `all` is not one"
        : gpus === "none"
          ? "runs on GPUs, so --gpus none does not fit"
          : `needs the GPUs per node as a count; --gpus ${show(gpus)} names devices, which a scheduler picks itself`;
  problems.push({ code: "invalid-value", message: `--with ${targets} ${why}.`, hint: "Add --gpus <count>, the GPUs on each node, e.g. --gpus 4." });
}

/**
 * The cluster request, or undefined without --with (then any other cluster option is refused,
 * never silently ignored). `gpus` is --gpus as typed, `name` the project name.
 */
export function parseCluster(raw: RawCluster, gpus: string | undefined, name: string, problems: Problem[]): ClusterRequest | undefined {
  if (raw.with === undefined) {
    const given = [raw.nodes !== undefined && "--nodes", raw.registry !== undefined && "--registry", raw.runtimeClass !== undefined && "--runtime-class", raw.k8sGfd && "--k8s-gfd"].filter((x): x is string => !!x);
    if (given.length) {
      problems.push({ code: "invalid-value", message: `${given.join(", ")} ${given.length === 1 ? "shapes" : "shape"} the cluster files, and no --with asks for any.`, hint: "Add --with k8s, --with slurm or --with k8s,slurm, or leave them out." });
    }
    return undefined;
  }
  const before = problems.length;
  const targets = parseWith(raw.with, problems);
  checkGpus(gpus, raw.with.length <= 20 ? raw.with : "…", problems);

  const nodesText = raw.nodes ?? "1";
  const nodes = /^[1-9][0-9]{0,3}$/.test(nodesText) ? Number(nodesText) : NaN;
  if (!(nodes <= MAX_NODES)) {
    problems.push({
      code: "invalid-value",
      message: nodesText === "0" || /^-/.test(nodesText) ? `--nodes ${show(nodesText)}: a run needs at least one node.` : `--nodes ${show(nodesText)} is not a node count from 1 to ${MAX_NODES}.`,
      hint: "Use --nodes 1 (the default) for one node, or the number of nodes, e.g. --nodes 2.",
    });
  }

  if (raw.registry !== undefined) {
    const why = registryProblem(raw.registry);
    if (why) problems.push({ code: "invalid-value", message: `--registry ${show(raw.registry)} is not an image repository prefix: ${why}.`, hint: "Give where you push images, e.g. --registry registry.example.com/team, --registry ghcr.io/you or --registry localhost:5000." });
    else if (raw.registry.length + 1 + name.length > MAX_NAME) problems.push({ code: "invalid-value", message: `--registry ${show(raw.registry)} with the name ${show(name)} makes a repository name longer than ${MAX_NAME} characters.`, hint: "Use a shorter --registry or --name." });
  }

  const k8s = targets.includes("k8s") || targets.length === 0;
  if (raw.runtimeClass !== undefined && (raw.runtimeClass.length > 253 || !DNS_SUBDOMAIN.test(raw.runtimeClass))) {
    problems.push({ code: "invalid-value", message: `--runtime-class ${show(raw.runtimeClass)} is not a RuntimeClass name.`, hint: "A RuntimeClass name is lower-case letters, digits, - and . (e.g. nvidia); see kubectl get runtimeclass." });
  }
  for (const [flag, given] of [["--runtime-class", raw.runtimeClass !== undefined], ["--k8s-gfd", !!raw.k8sGfd]] as const) {
    if (given && !k8s) problems.push({ code: "invalid-value", message: `${flag} shapes the Kubernetes files, and --with ${raw.with} writes none.`, hint: "Add k8s to --with (--with k8s,slurm), or leave it out." });
  }
  if (problems.length > before) return undefined;
  return { with: targets, nodes, registry: raw.registry ?? null, runtimeClass: raw.runtimeClass ?? null, k8sGfd: !!raw.k8sGfd };
}

/** The options that recreate a cluster request, for the regenerate command in every header. */
export function clusterArgs(c: ClusterRequest, quote: (s: string) => string): string[] {
  const args = ["--with", c.with.join(",")];
  if (c.nodes !== 1) args.push("--nodes", String(c.nodes));
  if (c.registry !== null) args.push("--registry", quote(c.registry));
  if (c.runtimeClass !== null) args.push("--runtime-class", quote(c.runtimeClass));
  if (c.k8sGfd) args.push("--k8s-gfd");
  return args;
}

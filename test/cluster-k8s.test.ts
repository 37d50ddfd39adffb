// The Kubernetes files (--with k8s): every manifest validates against the official schemas
// (kubernetes-models for Job and Service, the Kubeflow Trainer CRD for the TrainJob) with unknown
// fields refused, and carries what a GPU pod needs: GPUs in limits equal to requests, a
// memory-backed /dev/shm, the GPU toleration, the RuntimeClass only when asked, GPU Feature
// Discovery affinity that admits exactly the nodes the stack runs on, and NCCL settings only with
// more than one GPU.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { matrix } from "../src/matrix/data.js";
import { compare, parts } from "../src/matrix/versions.js";
import { findLauncher } from "../src/render/cluster/launch.js";
import { canDrive } from "../src/resolve/targets.js";
import type { RawRequest } from "../src/request/parse-request.js";
import type { GeneratedFile } from "../src/render/render-files.js";
import type { Resolution } from "../src/resolve/types.js";
import { renderFor } from "./support/render.js";
import { builtinProblems, trainJobCrd, trainJobProblems, TRAINER_FIXTURES, yamlDocuments } from "./support/k8s-validate.js";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface ClusterCase {
  name: string;
  specs: string[];
  gpus: number;
  nodes: number;
  flags?: { registry?: string; runtimeClass?: string; k8sGfd?: boolean; name?: string };
}

const CASES: ClusterCase[] = [
  { name: "the issue's example", specs: ["torch@2.5.1"], gpus: 4, nodes: 2, flags: { registry: "registry.example.com/team" } },
  { name: "torch newest, 8 GPUs, 4 nodes, GFD, runtime class", specs: ["torch"], gpus: 8, nodes: 4, flags: { registry: "ghcr.io/lab/ml", runtimeClass: "nvidia", k8sGfd: true } },
  { name: "torch 1.9.0 (torch.distributed.run), GFD", specs: ["torch@1.9.0"], gpus: 2, nodes: 2, flags: { k8sGfd: true } },
  { name: "torch 1.8 (torch.distributed.launch)", specs: ["torch@1.8"], gpus: 2, nodes: 3, flags: { k8sGfd: true } },
  { name: "torch 2.5.1, one GPU, one node", specs: ["torch@2.5.1"], gpus: 1, nodes: 1, flags: { k8sGfd: true, runtimeClass: "nvidia-cdi" } },
  { name: "tensorflow newest", specs: ["tensorflow"], gpus: 4, nodes: 3, flags: { k8sGfd: true } },
  { name: "tensorflow 1.15", specs: ["tensorflow@1.15"], gpus: 2, nodes: 2 },
  { name: "jax newest", specs: ["jax"], gpus: 8, nodes: 2, flags: { k8sGfd: true } },
  { name: "paddle newest", specs: ["paddle"], gpus: 4, nodes: 2, flags: { k8sGfd: true } },
  { name: "paddle 2.2 on one node", specs: ["paddle@2.2"], gpus: 2, nodes: 1 },
  { name: "bare CUDA 12.4", specs: ["cuda@12.4"], gpus: 2, nodes: 2, flags: { k8sGfd: true } },
  { name: "a name with a digit first and underscores", specs: ["torch@2.5.1"], gpus: 2, nodes: 2, flags: { name: "3d_unet__v2", registry: "localhost:5000" } },
];

function render(c: ClusterCase): { res: Resolution; files: GeneratedFile[] } {
  const opts: Partial<RawRequest> = {
    gpus: String(c.gpus),
    ...(c.flags?.name ? { name: c.flags.name } : {}),
    cluster: { with: "k8s", nodes: String(c.nodes), registry: c.flags?.registry, runtimeClass: c.flags?.runtimeClass, k8sGfd: c.flags?.k8sGfd },
  };
  return renderFor(c.specs, opts);
}

const byPath = (files: GeneratedFile[], path: string) => files.find((f) => f.path === path)?.content;

/** Every pod spec in a document: a Job's template, or a TrainJob's patched template. */
function podSpecs(doc: Obj): Obj[] {
  if (doc.kind === "Job") return [doc.spec.template.spec];
  if (doc.kind === "TrainJob") return doc.spec.runtimePatches.flatMap((p: Obj) => p.trainingRuntimeSpec.template.spec.replicatedJobs.map((j: Obj) => j.template.spec.template.spec));
  return [];
}

/**
 * Node labels that GPU Feature Discovery publishes from its first release (gpu-feature-discovery
 * v0.1.0 main.go, through v0.8.2) to the newest (k8s-device-plugin v0.15.0 to v0.20.0,
 * internal/lm/nvml.go). The nvidia.com/cuda.driver-version.* labels are missing before v0.15.0.
 */
const PUBLISHED_BY_EVERY_GFD = ["nvidia.com/cuda.driver.major", "nvidia.com/cuda.driver.minor", "nvidia.com/cuda.driver.rev", "nvidia.com/gpu.compute.major", "nvidia.com/gpu.compute.minor"];

/** The comment lines right above the first line that contains `needle` (and whose next line contains `next`). */
function commentAbove(text: string, needle: string, next = ""): string {
  const lines = text.split("\n");
  const at = lines.findIndex((l, i) => l.includes(needle) && (lines[i + 1] ?? "").includes(next));
  expect(at, needle).toBeGreaterThan(0);
  const out: string[] = [];
  for (let i = at - 1; i >= 0 && /^\s*#/.test(lines[i]!); i--) out.unshift(lines[i]!.replace(/^\s*# ?/, ""));
  return out.join(" ");
}

/** What a Kubernetes node selector term admits: every Gt/Lt on an integer label holds. */
function admits(terms: Obj[], labels: Record<string, string>): boolean {
  return terms.some((t) =>
    (t.matchExpressions as Obj[]).every((e) => {
      const v = labels[e.key];
      if (v === undefined || !/^-?[0-9]+$/.test(v)) return false;
      const n = Number.parseInt(v, 10);
      const bound = Number.parseInt(e.values[0], 10);
      return e.operator === "Gt" ? n > bound : e.operator === "Lt" ? n < bound : false;
    }),
  );
}

function nodeLabels(driver: string, cc: string): Record<string, string> {
  const [major, minor, rev] = driver.split(".");
  const [ccMajor, ccMinor] = cc.split(".");
  const l = matrix.cluster.gfd.labels;
  return { [l.driverMajor]: major!, [l.driverMinor]: minor!, [l.driverRevision]: rev ?? "", [l.computeMajor]: ccMajor!, [l.computeMinor]: ccMinor! };
}

/** A driver just below `floor` (the last non-zero part one lower), written the way nvidia-smi does. */
function justBelow(floor: string): string {
  const p = [...parts(floor)];
  let i = p.length - 1;
  while (i > 0 && p[i] === 0) i--;
  p[i] = p[i]! - 1;
  return p.map((n, j) => (j === 2 ? String(n).padStart(2, "0") : String(n))).join(".");
}

describe.each(CASES)("--with k8s: $name", (c) => {
  const { res, files } = render(c);
  const k8s = files.filter((f) => f.path.startsWith("k8s/"));
  const docs = k8s.flatMap((f) => yamlDocuments(f.content).map((doc) => ({ path: f.path, text: f.content, doc: doc as Obj })));
  const primary = res.builds.find((b) => b.framework !== "cuda") ?? res.builds[0]!;
  // Trainer v2.3.0 has torch and JAX runtimes, which expect torchrun (torch 1.9 or later) or jax.distributed.
  const launcher = findLauncher(matrix, primary);
  const trainer = matrix.cluster.trainer.runtimes.some((r) => r.framework === primary.framework) && ["torchrun", "jax-env"].includes(launcher.style) && launcher.multiNode !== false;

  it("writes job.yaml, train-multinode.yaml only for several nodes, trainjob.yaml where the Trainer has a runtime", () => {
    expect(k8s.map((f) => f.path).sort()).toEqual(["k8s/job.yaml", ...(trainer ? ["k8s/trainjob.yaml"] : []), ...(c.nodes > 1 ? ["k8s/train-multinode.yaml"] : [])].sort());
    expect(files.filter((f) => f.path.startsWith("slurm/"))).toEqual([]);
  });

  it("validates against the official schemas, unknown fields refused", () => {
    for (const { path, doc } of docs) {
      const problems = doc.kind === "TrainJob" ? trainJobProblems(doc) : builtinProblems(doc);
      expect(problems, `${path} ${doc.kind}`).toEqual([]);
    }
  });

  it("puts the GPUs in limits, equal to requests, on every GPU container", () => {
    const gpu = matrix.cluster.kubernetes.gpuResource.name;
    for (const { path, doc } of docs.filter((d) => d.doc.kind !== "Service")) {
      const resources = doc.kind === "TrainJob" ? [doc.spec.trainer.resourcesPerNode] : podSpecs(doc).flatMap((s) => s.containers.map((x: Obj) => x.resources));
      for (const r of resources) {
        expect(r.limits[gpu], path).toBe(String(c.gpus));
        expect(r.requests[gpu], path).toBe(r.limits[gpu]);
      }
    }
  });

  it("mounts a memory-backed /dev/shm with a size limit, saying that it counts against pod memory", () => {
    for (const { path, doc, text } of docs.filter((d) => d.doc.kind !== "Service")) {
      for (const spec of podSpecs(doc)) {
        const shm = spec.volumes.find((v: Obj) => v.emptyDir?.medium === "Memory");
        expect(shm?.emptyDir.sizeLimit, path).toMatch(/^[0-9]+(Mi|Gi)$/);
        for (const container of spec.containers) expect(container.volumeMounts.find((m: Obj) => m.mountPath === "/dev/shm")?.name, path).toBe(shm.name);
      }
      expect(commentAbove(text, "- name: dshm", "emptyDir")).toMatch(/counts against the pod's memory/);
    }
  });

  it("tolerates the nvidia.com/gpu taint, and sets runtimeClassName only when asked", () => {
    for (const { path, doc, text } of docs.filter((d) => d.doc.kind !== "Service")) {
      for (const spec of podSpecs(doc)) {
        expect(spec.tolerations, path).toContainEqual({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" });
        expect(spec.runtimeClassName, path).toBe(doc.kind === "Job" ? c.flags?.runtimeClass : undefined);
      }
      if (doc.kind === "TrainJob" && c.flags?.runtimeClass) expect(text).toContain(`--runtime-class ${c.flags.runtimeClass}: a TrainJob cannot set runtimeClassName`);
    }
  });

  it("sets NCCL variables only with more than one GPU, each with a comment", () => {
    for (const { path, doc, text } of docs.filter((d) => d.doc.kind !== "Service")) {
      const env: Obj[] = doc.kind === "TrainJob" ? doc.spec.trainer.env ?? [] : podSpecs(doc).flatMap((s) => s.containers.flatMap((x: Obj) => x.env ?? []));
      const nccl = env.filter((e) => e.name.startsWith("NCCL_"));
      const gpusInJob = c.gpus * (path === "k8s/job.yaml" ? 1 : c.nodes);
      expect(nccl.map((e) => e.name), path).toEqual(gpusInJob > 1 ? matrix.cluster.nccl.filter((n) => n.when === "several-gpus" || c.nodes > 1).map((n) => n.name) : []);
      for (const e of nccl) expect(commentAbove(text, `- name: "${e.name}"`).length, `${path} ${e.name}`).toBeGreaterThan(20);
    }
  });

  it("uses the image <registry>/<name>:<tag from the lock>, the same in every manifest", () => {
    const images = new Set(docs.flatMap(({ doc }) => (doc.kind === "TrainJob" ? [doc.spec.trainer.image] : podSpecs(doc).flatMap((s) => s.containers.map((x: Obj) => x.image)))));
    expect(images.size).toBe(1);
    const lock = JSON.parse(byPath(files, "cuda-scaffold.lock.json")!);
    expect([...images][0]).toBe(lock.cluster.image);
    expect(lock.cluster.image).toMatch(new RegExp(`^${c.flags?.registry ? `${c.flags.registry.replace(/\./g, "\\.")}/` : ""}${res.request.name}:lock-[0-9a-f]{12}$`));
  });

  it.runIf(c.nodes > 1)("multi-node: an Indexed Job and a headless Service, with the rendezvous on index 0", () => {
    const mn = docs.filter((d) => d.path === "k8s/train-multinode.yaml").map((d) => d.doc);
    const service = mn.find((d) => d.kind === "Service")!;
    const job = mn.find((d) => d.kind === "Job")!;
    expect(service.spec.clusterIP).toBe("None");
    expect(job.spec).toMatchObject({ completionMode: "Indexed", completions: c.nodes, parallelism: c.nodes, backoffLimit: 0 });
    const pod = job.spec.template;
    expect(pod.spec.subdomain).toBe(service.metadata.name);
    for (const [k, v] of Object.entries(service.spec.selector)) expect(pod.metadata.labels[k]).toBe(v);
    // The pods of an Indexed Job are named <job>-<index>; with the subdomain they resolve as <job>-<index>.<service>.
    const head = `${job.metadata.name}-0.${service.metadata.name}`;
    const container = pod.spec.containers[0];
    const env = Object.fromEntries((container.env as Obj[]).map((e) => [e.name, e]));
    expect(env.NODE_RANK.valueFrom.fieldRef.fieldPath).toBe("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    const everything = JSON.stringify([container.command, container.env]);
    expect(everything).toContain(head);
    expect(`${job.metadata.name}-${c.nodes - 1}`.length).toBeLessThanOrEqual(63);
    expect(service.metadata.name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
  });

  it.runIf(c.nodes > 1)("job.yaml and train-multinode.yaml can both be applied: no object of the same kind and name, and the Service selects only the multi-node pods", () => {
    const objects = docs.filter((d) => d.path === "k8s/job.yaml" || d.path === "k8s/train-multinode.yaml").map((d) => `${d.doc.kind}/${d.doc.metadata.name}`);
    expect(new Set(objects).size, objects.join(" ")).toBe(objects.length);
    const service = docs.find((d) => d.doc.kind === "Service")!.doc;
    const selects = (labels: Obj) => Object.entries(service.spec.selector).every(([k, v]) => labels[k] === v);
    const single = docs.find((d) => d.path === "k8s/job.yaml")!.doc;
    const multi = docs.find((d) => d.path === "k8s/train-multinode.yaml" && d.doc.kind === "Job")!.doc;
    expect(selects(single.spec.template.metadata.labels)).toBe(false);
    expect(selects(multi.spec.template.metadata.labels)).toBe(true);
  });

  it.runIf(trainer)("TrainJob: a runtime the Trainer ships, patched on its own job and container, one process per GPU for torch", () => {
    const tj = docs.find((d) => d.doc.kind === "TrainJob")!.doc;
    const runtime = matrix.cluster.trainer.runtimes.find((r) => r.framework === primary.framework)!;
    expect(tj.apiVersion).toBe(matrix.cluster.trainer.apiVersion);
    expect(tj.spec.runtimeRef.name).toBe(runtime.name);
    expect(tj.spec.trainer.numNodes).toBe(c.nodes);
    expect(tj.spec.trainer.numProcPerNode).toBe(primary.framework === "torch" ? c.gpus : undefined);
    const patch = tj.spec.runtimePatches[0].trainingRuntimeSpec.template.spec.replicatedJobs[0];
    expect(patch.name).toBe(runtime.job);
    expect(patch.template.spec.template.spec.containers[0].name).toBe(runtime.container);
    expect(tj.spec.trainer.env?.some((e: Obj) => /^(PET_|JAX_)/.test(e.name)) ?? false).toBe(false);
  });

  it.runIf(!!c.flags?.k8sGfd)("GPU Feature Discovery affinity admits exactly the nodes whose driver and GPU the stack runs on", () => {
    const floor = res.minDriver;
    const ccs = [...new Set([...matrix.gpus.gpus.map((g) => g.cc.replace(/[af]$/, "")), "3.0", "5.0", "6.1", "9.9", "13.0"])];
    for (const { path, doc } of docs.filter((d) => d.doc.kind !== "Service")) {
      for (const spec of podSpecs(doc)) {
        const terms = spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
        for (const cc of ccs) {
          const known = matrix.gpus.gpus.some((g) => g.cc.replace(/[af]$/, "").split(".")[0] === cc.split(".")[0]);
          // Where our data lists no kernels for a build, the GPUs its CUDA release can target.
          const drives = (b: (typeof res.builds)[number]) => (b.arch.length + b.ptx.length ? canDrive(b, cc) : b.cudaSm.some((s) => compare(cc, s.replace(/[af]$/, "")) >= 0));
          const runs = res.builds.every(drives) && known && Number(cc.split(".")[0]) <= Math.max(...matrix.gpus.gpus.map((g) => parts(g.cc)[0]!));
          expect(admits(terms, nodeLabels(floor, cc)), `${path}: driver ${floor}, sm ${cc}`).toBe(runs);
          expect(admits(terms, nodeLabels("999.99.99", cc)), `${path}: driver 999, sm ${cc}`).toBe(runs);
          expect(admits(terms, nodeLabels(justBelow(floor), cc)), `${path}: driver ${justBelow(floor)}, sm ${cc}`).toBe(false);
        }
      }
    }
  });

  it.runIf(!!c.flags?.k8sGfd)("GPU Feature Discovery affinity uses only labels that old and new GFD releases both publish", () => {
    for (const { path, doc } of docs.filter((d) => d.doc.kind !== "Service")) {
      for (const spec of podSpecs(doc)) {
        const keys = spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.flatMap((t: Obj) => t.matchExpressions.map((e: Obj) => e.key));
        for (const key of keys) expect(PUBLISHED_BY_EVERY_GFD, `${path}: ${key}`).toContain(key);
      }
    }
  });

  it.runIf(!c.flags?.k8sGfd)("leaves node affinity out without --k8s-gfd", () => {
    for (const { doc } of docs) for (const spec of podSpecs(doc)) expect(spec.affinity).toBeUndefined();
  });
});

describe("the Trainer facts match the fixtures from kubeflow/trainer v2.3.0", () => {
  it("the API version is the one the CRD serves", () => {
    const crd = trainJobCrd() as Obj;
    const served = crd.spec.versions.filter((v: Obj) => v.served).map((v: Obj) => `${crd.spec.group}/${v.name}`);
    expect(served).toEqual([matrix.cluster.trainer.apiVersion]);
    expect(crd.spec.names.kind).toBe("TrainJob");
    expect(matrix.cluster.trainer.crdSource).toContain(`/${matrix.cluster.trainer.release}/`);
  });

  it.each(matrix.cluster.trainer.runtimes.map((r) => [r.name, r] as const))("runtime %s: its replicated job and trainer container", (_name, r) => {
    const file = { torch: "torch_distributed.yaml", jax: "jax_distributed.yaml" }[r.framework as "torch" | "jax"];
    const runtime = parse(readFileSync(join(TRAINER_FIXTURES, file), "utf8")) as Obj;
    expect(runtime.kind).toBe("ClusterTrainingRuntime");
    expect(runtime.metadata.name).toBe(r.name);
    const job = runtime.spec.template.spec.replicatedJobs.find((j: Obj) => j.name === r.job);
    expect(job.template.spec.template.spec.containers.map((x: Obj) => x.name)).toContain(r.container);
    expect(r.source).toContain(`/${matrix.cluster.trainer.release}/`);
  });

  it("the validator refuses what the API server would", () => {
    const { files } = render(CASES[0]!);
    const tj = yamlDocuments(byPath(files, "k8s/trainjob.yaml")!)[0] as Obj;
    expect(trainJobProblems({ ...tj, metadata: { name: "9lives" } })).toContain("metadata.name must match RFC 1035 DNS label format");
    expect(trainJobProblems({ ...tj, spec: { ...tj.spec, trainer: { ...tj.spec.trainer, numProcPerNod: 4 } } }).join()).toMatch(/numProcPerNod/);
    expect(trainJobProblems({ ...tj, apiVersion: "trainer.kubeflow.org/v1" }).join()).toMatch(/not served/);
    const job = yamlDocuments(byPath(files, "k8s/job.yaml")!)[0] as Obj;
    const c0 = job.spec.template.spec.containers[0];
    expect(builtinProblems({ ...job, spec: { ...job.spec, template: { ...job.spec.template, spec: { ...job.spec.template.spec, containers: [{ ...c0, resources: { limits: { "nvidia.com/gpu": "4" } }, volumeMount: [] }] } } } }).join()).toMatch(/volumeMount: not a field/);
    expect(builtinProblems({ ...job, spec: { ...job.spec, backoffLimit: "none" } }).length).toBeGreaterThan(0);
  });
});

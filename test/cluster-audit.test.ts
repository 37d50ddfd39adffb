// The cluster files for every framework release range the data has a launcher for, each at the
// node counts it allows: what the audit of the cluster files found missing. Paddle's master is
// given as the IP address its launcher compares with its own (not a host name).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { matrix, type FrameworkName } from "../src/matrix/data.js";
import { satisfies } from "../src/matrix/versions.js";
import { file, renderFor } from "./support/render.js";
import { yamlDocuments } from "./support/k8s-validate.js";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One release per launcher rule (the newest it covers), at every node count it allows. */
const COMBOS = matrix.cluster.launchers.flatMap((l) => {
  const spec =
    l.framework === "cuda"
      ? "cuda@12.4"
      : (() => {
          const rel = [...(matrix.frameworks[l.framework as FrameworkName]?.releases ?? [])].reverse().find((r) => satisfies(r.version, l.versions));
          return rel ? `${l.framework}@${rel.version}` : null;
        })();
  return spec ? (l.multiNode === false ? [1] : [1, 2]).map((nodes) => ({ spec, nodes, launcher: l })) : [];
});

/** A `python` for the launch commands: `python -c` is the real Python 3, anything else prints its arguments. */
const bin = mkdtempSync(join(tmpdir(), "cs-audit-bin-"));
writeFileSync(join(bin, "python"), '#!/bin/bash\nif [ "$1" = -c ]; then exec python3 "$@"; fi\nprintf "arg=%s\\n" "$@"\n');
chmodSync(join(bin, "python"), 0o755);
const ownIp = spawnSync("python3", ["-c", "import socket; print(socket.gethostbyname(socket.getfqdn(socket.gethostname())))"], { encoding: "utf8" }).stdout.trim();
const run = (argv: string[], env: Record<string, string>) => spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ...env }, timeout: 10_000 });

describe.each(COMBOS)("$spec, $nodes node(s)", ({ spec, nodes, launcher }) => {
  const { files } = renderFor([spec], { gpus: "4", cluster: { with: "k8s,slurm", nodes: String(nodes) } });

  it("pyxis: a script that uses --container-env says, in its header, which pyxis release it needs", () => {
    const text = file(files, "slurm/train-pyxis.sbatch");
    const header = text.slice(0, text.indexOf("\n#SBATCH")).replace(/\n# ?/g, " ");
    expect(text).toContain("--container-env=");
    expect(header).toContain(`Needs pyxis ${matrix.cluster.pyxis.containerEnv.since} or later`);
    expect(file(files, "slurm/train.sbatch")).not.toContain("Needs pyxis");
  });

  it("slurm: asks for CPUs and memory per GPU, and hands srun the CPUs again", () => {
    const per = matrix.cluster.perGpu;
    for (const path of ["slurm/train.sbatch", "slurm/train-pyxis.sbatch"]) {
      const text = file(files, path);
      const tasks = Number(/^#SBATCH --ntasks-per-node=([0-9]+)$/m.exec(text)?.[1]);
      expect(text, path).toMatch(new RegExp(`^#SBATCH --cpus-per-task=${(per.cpus * 4) / tasks}$`, "m"));
      expect(text, path).toMatch(new RegExp(`^#SBATCH --mem-per-gpu=${per.memoryGi}G$`, "m"));
      expect(text, path).toMatch(/^srun --cpus-per-task="\$SLURM_CPUS_PER_TASK" /m);
    }
  });

  it.runIf(launcher.masterAddress?.form === "ip" && nodes > 1)("k8s: index 0 passes --master as its own address, the others the address of index 0's name", () => {
    const job = yamlDocuments(file(files, "k8s/train-multinode.yaml")).map((d) => d as Obj).find((d) => d.kind === "Job")!;
    const command: string[] = job.spec.template.spec.containers[0].command;
    expect(JSON.stringify(command)).not.toMatch(/--master=[a-z]/);
    const r = run(command, { NODE_RANK: "0" });
    expect(r.stdout.split("\n")).toContain(`arg=--master=${ownIp}:${launcher.port}`);
  });

  it.runIf(launcher.masterAddress?.form === "ip" && nodes > 1)("slurm: node 0 passes its own address, the others resolve the first host's name", () => {
    for (const path of ["slurm/train.sbatch", "slurm/train-pyxis.sbatch"]) {
      const text = file(files, path);
      const body = /bash -c ('(?:[^']|'\\'')*') bash "\$@"/.exec(text)?.[1];
      expect(body, path).toBeDefined();
      const script = spawnSync("bash", ["-c", `printf %s ${body}`], { encoding: "utf8" }).stdout;
      const env = { SLURM_JOB_NUM_NODES: "2", MASTER_ADDR: "localhost", MASTER_PORT: "23456" };
      expect(run(["bash", "-c", script, "bash", "train.py"], { ...env, SLURM_NODEID: "0" }).stdout.split("\n"), path).toContain(`arg=--master=${ownIp}:23456`);
      expect(run(["bash", "-c", script, "bash", "train.py"], { ...env, SLURM_NODEID: "1" }).stdout.split("\n"), path).toContain("arg=--master=127.0.0.1:23456");
    }
  });
});

/** Every pod spec of the k8s files, with its GPU container's resources (a TrainJob's are per node). */
function pods(files: { path: string; content: string }[]): { path: string; spec: Obj; resources: Obj }[] {
  return files.filter((f) => f.path.startsWith("k8s/")).flatMap((f) =>
    yamlDocuments(f.content).map((d) => d as Obj).flatMap((doc) => {
      if (doc.kind === "Job") return [{ path: f.path, spec: doc.spec.template.spec, resources: doc.spec.template.spec.containers[0].resources }];
      if (doc.kind === "TrainJob") return [{ path: f.path, spec: doc.spec.runtimePatches[0].trainingRuntimeSpec.template.spec.replicatedJobs[0].template.spec.template.spec, resources: doc.spec.trainer.resourcesPerNode }];
      return [];
    }),
  );
}
/** The image user's ids, as the Dockerfile template sets them (ARG USER_UID=…, ARG USER_GID=…). */
const DOCKERFILE_IDS = (() => {
  const text = readFileSync(join(import.meta.dirname, "..", "templates", "Dockerfile.hbs"), "utf8");
  return { uid: Number(/^ARG USER_UID=(\d+)$/m.exec(text)![1]), gid: Number(/^ARG USER_GID=(\d+)$/m.exec(text)![1]) };
})();
const gi = (q: string) => Number.parseInt(q, 10) * (q.endsWith("Gi") ? 1 : q.endsWith("Mi") ? 1 / 1024 : NaN);

/**
 * What the "restricted" Pod Security Standard refuses in a pod (https://kubernetes.io/docs/concepts/security/pod-security-standards/),
 * plus the kubelet's own check: runAsNonRoot with an image whose USER is a name needs a numeric runAsUser.
 */
function restrictedProblems(pod: Obj): string[] {
  const problems: string[] = [];
  const psc = pod.securityContext ?? {};
  const allowedVolumes = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
  for (const v of pod.volumes ?? []) if (!Object.keys(v).filter((k) => k !== "name").every((k) => allowedVolumes.includes(k))) problems.push(`volume ${v.name}`);
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push("host namespaces");
  for (const c of [...(pod.initContainers ?? []), ...pod.containers] as Obj[]) {
    const sc = c.securityContext ?? {};
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) problems.push(`${c.name}: runAsNonRoot`);
    const uid = sc.runAsUser ?? psc.runAsUser;
    if (!Number.isInteger(uid) || uid === 0) problems.push(`${c.name}: numeric non-zero runAsUser (the image's USER is a name)`);
    if (sc.privileged) problems.push(`${c.name}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${c.name}: allowPrivilegeEscalation`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push(`${c.name}: drop ALL`);
    if ((sc.capabilities?.add ?? []).some((a: string) => a !== "NET_BIND_SERVICE")) problems.push(`${c.name}: added capabilities`);
    if (!["RuntimeDefault", "Localhost"].includes((sc.seccompProfile ?? psc.seccompProfile)?.type)) problems.push(`${c.name}: seccompProfile`);
  }
  return problems;
}

describe.each(COMBOS)("restricted Pod Security: $spec, $nodes node(s)", ({ spec, nodes }) => {
  for (const k8sGfd of [false, true]) {
    it(`every pod is admitted and runs as the image's user${k8sGfd ? " (--k8s-gfd)" : ""}`, () => {
      const { files } = renderFor([spec], { gpus: "4", cluster: { with: "k8s", nodes: String(nodes), k8sGfd } });
      const all = pods(files);
      expect(all.length).toBeGreaterThan(0);
      for (const { path, spec: pod } of all) {
        expect(restrictedProblems(pod), path).toEqual([]);
        expect(pod.securityContext, path).toMatchObject({ runAsUser: DOCKERFILE_IDS.uid, runAsGroup: DOCKERFILE_IDS.gid, fsGroup: DOCKERFILE_IDS.gid });
      }
    });
  }
});

it("the pods' user and group are the Dockerfile's USER_UID and USER_GID defaults", () => {
  const k = matrix.cluster.kubernetes;
  expect({ uid: k.podSecurity.uid, gid: k.podSecurity.gid }).toEqual(DOCKERFILE_IDS);
  expect(k.fsGroup.gid).toBe(DOCKERFILE_IDS.gid);
});

describe.each([
  ...COMBOS.map((c) => ({ ...c, platform: undefined as string | undefined })),
  { spec: "torch", nodes: 2, platform: "linux/arm64" },
  { spec: "jax", nodes: 2, platform: "linux/arm64" },
])("k8s pods of $spec, $nodes node(s), $platform", ({ spec, nodes, platform }) => {
  const { files } = renderFor([spec], { gpus: "4", ...(platform ? { platform } : {}), cluster: { with: "k8s", nodes: String(nodes) } });

  it("select nodes of the image's architecture", () => {
    for (const { path, spec: pod } of pods(files)) expect(pod.nodeSelector, path).toEqual({ "kubernetes.io/arch": platform === "linux/arm64" ? "arm64" : "amd64" });
  });

  it("request CPU and memory, the memory covering /dev/shm, with a memory limit and no CPU limit", () => {
    for (const { path, spec: pod, resources } of pods(files)) {
      const shm = pod.volumes.find((v: Obj) => v.emptyDir?.medium === "Memory").emptyDir.sizeLimit;
      expect(Number(resources.requests.cpu), path).toBe(matrix.cluster.perGpu.cpus * 4);
      expect(gi(resources.requests.memory), path).toBe(matrix.cluster.perGpu.memoryGi * 4 + gi(shm));
      expect(resources.limits.memory, path).toBe(resources.requests.memory);
      expect(resources.limits.cpu, path).toBeUndefined();
    }
  });
});

it("the JAX TrainJob says what the script passes to jax.distributed.initialize(), which reads no process count or id", () => {
  const { files } = renderFor(["jax"], { gpus: "4", cluster: { with: "k8s", nodes: "2" } });
  const text = file(files, "k8s/trainjob.yaml").replace(/\n\s*# /g, " ");
  expect(text).not.toMatch(/JAX_PROCESS_ID and JAX_COORDINATOR_ADDRESS for jax\.distributed\.initialize\(\)/);
  expect(text).toContain('jax.distributed.initialize(num_processes=int(os.environ["JAX_NUM_PROCESSES"]), process_id=int(os.environ["JAX_PROCESS_ID"]))');
});

it("covers every launcher rule, Paddle's multi-node one included", () => {
  expect(new Set(COMBOS.map((c) => c.launcher))).toEqual(new Set(matrix.cluster.launchers));
  expect(COMBOS.some((c) => c.launcher.masterAddress && c.nodes > 1)).toBe(true);
  void parse;
});

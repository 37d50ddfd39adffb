// The Slurm files (--with slurm) under a real scheduler: a one-node slurmctld + slurmd on
// localhost (test/support/slurm-cluster.ts) runs the generated slurm/train.sbatch with sbatch,
// and stand-ins for apptainer, nvidia-smi and the launchers (test/support/slurm/) record what the
// job did: the GPU request Slurm granted, `apptainer exec --nv`, the project bound at /workspace,
// PYTHONNOUSERSITE=1, caches under $SCRATCH, and the launcher's node count, rank and rendezvous.
// Skipped, with a printed notice, where Slurm cannot run (not root, binaries missing).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RawRequest } from "../src/request/parse-request.js";
import { file, renderFor } from "./support/render.js";
import { slurmUnavailable, startSlurm, STAND_INS, type SlurmCluster } from "./support/slurm-cluster.js";

const unavailable = slurmUnavailable();
if (unavailable) console.warn(`notice: the Slurm tests are skipped: ${unavailable}.`);

const REGISTRY = "registry.example.com/team";

/** Renders a request with --with slurm and writes its two batch scripts into a fresh project folder. */
function project(root: string, label: string, specs: string[], gpus: number, nodes: number, registry = REGISTRY): { dir: string; image: string } {
  const opts: Partial<RawRequest> = { gpus: String(gpus), cluster: { with: "slurm", nodes: String(nodes), registry } };
  const { files } = renderFor(specs, opts);
  const dir = join(root, label);
  mkdirSync(join(dir, "slurm"), { recursive: true });
  for (const f of files.filter((x) => x.path.startsWith("slurm/"))) writeFileSync(join(dir, f.path), f.content, { mode: f.mode });
  writeFileSync(join(dir, "train.py"), "print('the stand-in launcher never runs this')\n");
  return { dir, image: JSON.parse(file(files, "cuda-scaffold.lock.json")).cluster.image };
}

/** The stand-in's record of a job (one file per task), as lines; "" when there is none. */
function records(recordDir: string, prefix: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of readdirSync(recordDir).filter((n) => n.startsWith(`${prefix}.`))) out.set(name.slice(prefix.length + 1), readFileSync(join(recordDir, name), "utf8").trimEnd().split("\n"));
  return out;
}

describe.skipIf(!!unavailable)("slurm/train.sbatch under a real Slurm scheduler", () => {
  let cluster: SlurmCluster;
  let root: string;
  let bin: string;
  let pyxisBin: string;
  let scratch: string;
  let recordDir: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "cs-slurm-projects-"));
    bin = join(root, "bin");
    pyxisBin = join(root, "bin-pyxis");
    scratch = join(root, "scratch");
    recordDir = join(root, "records");
    for (const d of [bin, pyxisBin, scratch, recordDir]) mkdirSync(d);
    for (const [stand, as] of [["apptainer", "apptainer"], ["nvidia-smi", "nvidia-smi"], ["launcher", "torchrun"], ["launcher", "python"]]) copyFileSync(join(STAND_INS, stand!), join(bin, as!));
    copyFileSync(join(STAND_INS, "srun-pyxis"), join(pyxisBin, "srun"));
    spawnSync("chmod", ["755", ...readdirSync(bin).map((n) => join(bin, n)), join(pyxisBin, "srun")]);
    cluster = await startSlurm(4);
    budgetEnd = Date.now() + 45_000;
  }, 40_000);

  afterAll(async () => {
    await cluster?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  }, 20_000);

  // The whole file stays within about a minute: each job gets at most 12 s, and none starts past the budget.
  let budgetEnd = 0;
  const timeoutMs = () => Math.max(1_000, Math.min(12_000, budgetEnd - Date.now()));
  // The node has as many CPUs as this machine (often 2) and the scripts ask for 4 per GPU and 16 GB
  // of memory per GPU: the jobs ask for what the node has (sbatch's options override the directives).
  const small = ["--cpus-per-task=1", "--mem-per-gpu=1M"];
  const submit = (script: string, opts: Parameters<SlurmCluster["submit"]>[1]) => cluster.submit(script, { ...opts, args: [...small, ...(opts.args ?? [])] });
  const jobEnv = (extra: NodeJS.ProcessEnv = {}, path = bin) => ({ PATH: `${path}:${process.env.PATH}`, SCRATCH: scratch, CS_RECORD_DIR: recordDir, ...extra });

  it("runs one node with 2 GPUs: the GPU request, apptainer exec --nv, the bind, PYTHONNOUSERSITE and the launcher", async () => {
    const p = project(root, "torch-1x2", ["torch@2.5.1"], 2, 1);
    const text = readFileSync(join(p.dir, "slurm/train.sbatch"), "utf8");
    expect(text).toMatch(/^#SBATCH --cpus-per-task=8$/m);
    expect(text).toMatch(/^#SBATCH --mem-per-gpu=16G$/m);
    // The step sees the CPUs the job asked for (srun is given them again, as Slurm 22.05 wants).
    const job = await submit("slurm/train.sbatch", { cwd: p.dir, args: [`--cpus-per-task=${cluster.cpus}`], env: jobEnv(), timeoutMs: timeoutMs() });
    expect(job.code, job.stderr + readOutput(p.dir, job.id)).toBe(0);
    expect(job.record.JobState).toBe("COMPLETED");
    expect(job.record.NumNodes).toBe("1");
    expect(job.record.TresPerNode).toMatch(/^gres[:/]gpu[:=]2$/);

    const sif = join(scratch, "cuda-scaffold", `demo-${p.image.split(":").pop()}.sif`);
    const pulls = [...records(recordDir, "apptainer-pull").values()];
    expect(pulls).toContainEqual(["--force", `${sif}.part`, `docker://${p.image}`]);

    const exec = records(recordDir, "apptainer-exec").get(`${job.id}.0`)!;
    expect(exec.slice(0, exec.indexOf(sif) + 1)).toEqual(["--nv", "--env", "PYTHONNOUSERSITE=1", "--env", "NCCL_DEBUG=WARN", "--bind", `${p.dir}:/workspace`, "--pwd", "/workspace", sif]);
    expect(exec.slice(exec.indexOf(sif) + 1, exec.indexOf(sif) + 3)).toEqual(["bash", "-c"]);
    const env = records(recordDir, "apptainer-exec-env").get(`${job.id}.0`)!;
    expect(env).toEqual(expect.arrayContaining(["PYTHONNOUSERSITE=1", "SLURM_GPUS_ON_NODE=2", `APPTAINER_CACHEDIR=${scratch}/cuda-scaffold/apptainer-cache`, `APPTAINER_TMPDIR=${scratch}/cuda-scaffold/apptainer-tmp`]));

    const run = records(recordDir, "torchrun").get(`${job.id}.0`)!;
    expect(run[0]).toBe(`cwd=${p.dir}`);
    const args = run.filter((l) => l.startsWith("arg=")).map((l) => l.slice(4));
    const port = run.find((l) => l.startsWith("env:MASTER_PORT="))!.split("=")[1];
    expect(args).toEqual(["--nnodes=1", "--node_rank=0", "--nproc_per_node=2", `--master_addr=${cluster.node}`, `--master_port=${port}`, "train.py"]);
    expect(run).toEqual(expect.arrayContaining(["env:PYTHONNOUSERSITE=1", "env:NCCL_DEBUG=WARN", "env:SLURM_NODEID=0"]));
    expect(cluster.cpus).toBeGreaterThan(1);
    expect(run).toContain(`nproc=${cluster.cpus}`);
  });

  it("runs the issue's example (2 nodes × 4 GPUs) on one node with sbatch --nodes=1, passes the script's arguments, and pulls the image once", async () => {
    const p = project(root, "torch-2x4", ["torch@2.5.1"], 4, 2);
    expect(readFileSync(join(p.dir, "slurm/train.sbatch"), "utf8")).toMatch(/^#SBATCH --nodes=2$/m);
    const first = await submit("slurm/train.sbatch", { cwd: p.dir, args: ["--nodes=1"], scriptArgs: ["my_train.py", "--epochs", "3"], env: jobEnv(), timeoutMs: timeoutMs() });
    expect(first.code, first.stderr + readOutput(p.dir, first.id)).toBe(0);
    expect(first.record.TresPerNode).toMatch(/^gres[:/]gpu[:=]4$/);
    const run = records(recordDir, "torchrun").get(`${first.id}.0`)!;
    const args = run.filter((l) => l.startsWith("arg=")).map((l) => l.slice(4));
    expect(args.slice(0, 3)).toEqual(["--nnodes=1", "--node_rank=0", "--nproc_per_node=4"]);
    expect(args.slice(-3)).toEqual(["my_train.py", "--epochs", "3"]);

    const second = await submit("slurm/train.sbatch", { cwd: p.dir, args: ["--nodes=1"], env: jobEnv(), timeoutMs: timeoutMs() });
    expect(second.code, second.stderr + readOutput(p.dir, second.id)).toBe(0);
    const pullsOfThisImage = [...records(recordDir, "apptainer-pull").values()].filter((a) => a.at(-1) === `docker://${p.image}`);
    expect(pullsOfThisImage).toHaveLength(1);
  });

  it("runs JAX as one process per GPU, each with its process id", async () => {
    const p = project(root, "jax-1x2", ["jax"], 2, 1);
    const job = await submit("slurm/train.sbatch", { cwd: p.dir, env: jobEnv(), timeoutMs: timeoutMs() });
    expect(job.code, job.stderr + readOutput(p.dir, job.id)).toBe(0);
    const runs = records(recordDir, "python");
    const ids = [0, 1].map((task) => runs.get(`${job.id}.${task}`)!.find((l) => l.startsWith("env:JAX_PROCESS_ID=")));
    expect(ids).toEqual(["env:JAX_PROCESS_ID=0", "env:JAX_PROCESS_ID=1"]);
    expect(runs.get(`${job.id}.0`)).toEqual(expect.arrayContaining(["env:JAX_NUM_PROCESSES=2", "env:PYTHONNOUSERSITE=1"]));
    expect(runs.get(`${job.id}.0`)!.some((l) => l.startsWith(`env:JAX_COORDINATOR_ADDRESS=${cluster.node}:`))).toBe(true);
  });

  it("gives TensorFlow a TF_CONFIG that lists the job's nodes and this node's index", async () => {
    const p = project(root, "tf-1x1", ["tensorflow"], 1, 1);
    const job = await submit("slurm/train.sbatch", { cwd: p.dir, env: jobEnv(), timeoutMs: timeoutMs() });
    expect(job.code, job.stderr + readOutput(p.dir, job.id)).toBe(0);
    const run = records(recordDir, "python").get(`${job.id}.0`)!;
    const port = run.find((l) => l.startsWith("env:MASTER_PORT="))!.split("=")[1];
    const config = JSON.parse(run.find((l) => l.startsWith("env:TF_CONFIG="))!.slice("env:TF_CONFIG=".length));
    expect(config).toEqual({ cluster: { worker: [`${cluster.node}:${port}`] }, task: { type: "worker", index: 0 } });
    expect(run.filter((l) => l.startsWith("arg="))).toEqual(["arg=train.py"]);
  });

  it("stops before the container on a node whose driver is older than the stack's floor", async () => {
    const p = project(root, "torch-old-driver", ["torch@2.5.1"], 1, 1);
    const job = await submit("slurm/train.sbatch", { cwd: p.dir, env: jobEnv({ CS_FAKE_DRIVER: "535.54.03" }), timeoutMs: timeoutMs() });
    expect(job.code).not.toBe(0);
    expect(job.record.JobState).toBe("FAILED");
    expect(readOutput(p.dir, job.id)).toMatch(/NVIDIA driver 535\.54\.03 is older than 550\.54\.15, which this stack needs \(CUDA 12\.4\.1/);
    expect(records(recordDir, "apptainer-exec").has(`${job.id}.0`)).toBe(false);
  });

  it("train-pyxis.sbatch hands srun the image with pyxis's # separator, the bind and the environment", async () => {
    const p = project(root, "torch-pyxis", ["torch@2.5.1"], 2, 1);
    const job = await submit("slurm/train-pyxis.sbatch", { cwd: p.dir, env: jobEnv({}, `${pyxisBin}:${bin}`), timeoutMs: timeoutMs() });
    expect(job.code, job.stderr + readOutput(p.dir, job.id)).toBe(0);
    const args = records(recordDir, "srun-pyxis").get(job.id)!;
    expect(args.slice(0, 5)).toEqual(["--cpus-per-task=1", `--container-image=${p.image.replace("registry.example.com/", "registry.example.com#")}`, `--container-mounts=${p.dir}:/workspace`, "--container-workdir=/workspace", "--container-env=PYTHONNOUSERSITE,NCCL_DEBUG"]);
    expect(records(recordDir, "srun-pyxis-env").get(job.id)).toEqual(expect.arrayContaining(["PYTHONNOUSERSITE=1", "NCCL_DEBUG=WARN"]));
  });
});

function readOutput(dir: string, id: string): string {
  const name = readdirSync(dir).find((n) => n.endsWith(`-${id}.out`));
  return name ? readFileSync(join(dir, name), "utf8") : "(no job output)";
}

describe("the batch scripts pass shellcheck for every framework", () => {
  const shellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
  if (!shellcheck) console.warn("notice: shellcheck is not installed; the batch scripts are only parsed with bash -n.");
  it.each([["torch@2.5.1"], ["torch@1.9.0"], ["torch@1.8"], ["tensorflow"], ["jax"], ["paddle"], ["paddle@2.2"], ["cuda@12.4"]])("%s", (spec) => {
    const { files } = renderFor([spec], { gpus: "4", cluster: { with: "slurm", nodes: spec === "paddle@2.2" ? "1" : "2" } });
    for (const f of files.filter((x) => x.path.startsWith("slurm/"))) {
      expect(f.content.startsWith("#!/bin/bash\n"), f.path).toBe(true);
      const parsed = spawnSync("bash", ["-n"], { input: f.content, encoding: "utf8" });
      expect(parsed.status, `${f.path}: ${parsed.stderr}`).toBe(0);
      if (shellcheck) {
        const r = spawnSync("shellcheck", ["-s", "bash", "-"], { input: f.content, encoding: "utf8" });
        expect(r.stdout, f.path).toBe("");
      }
    }
  });
});

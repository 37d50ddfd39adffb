// A one-node Slurm cluster on localhost for the tests, from Debian's slurm-wlm and munge: munged
// with its own key and socket, slurmctld and slurmd with a configuration in a temporary folder
// (own ports, no cgroups, no accounting, steps bound to their CPUs), and GPUs as a gpu GRES backed by placeholder files
// instead of /dev/nvidia*. Everything it starts is stopped by process id, and its folder removed.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./shared.js";

const BINARIES = ["munged", "slurmctld", "slurmd", "sbatch", "scontrol", "sinfo", "scancel"];
export const STAND_INS = join(ROOT, "test/support/slurm");

function which(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

/** Why the Slurm tests cannot run here, or null when they can. */
export function slurmUnavailable(): string | null {
  if (process.platform !== "linux") return "not Linux";
  if (process.getuid?.() !== 0) return "not running as root (slurmd runs jobs as root here)";
  const missing = BINARIES.filter((b) => !which(b));
  if (missing.length) return `${missing.join(", ")} not installed (apt-get install -y slurm-wlm munge)`;
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const TERMINAL = new Set(["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "PREEMPTED"]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Whether a process still runs. The daemons fork away from us, so a stopped one stays a zombie
 * until the machine's init reaps it (here about 2 s later); a zombie has stopped.
 */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state ..."; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

export interface JobResult {
  id: string;
  /** the job's exit code (null: it did not finish in time and was cancelled) */
  code: number | null;
  /** scontrol's record of the job: JobState, TresPerNode, NumNodes, … */
  record: Record<string, string>;
  stdout: string;
  stderr: string;
}

export interface SlurmCluster {
  dir: string;
  node: string;
  gpus: number;
  /** the node's CPUs (this machine's) */
  cpus: number;
  /** the environment that reaches the scheduler's clients (SLURM_CONF) */
  env: NodeJS.ProcessEnv;
  submit(script: string, opts: { cwd: string; args?: string[]; scriptArgs?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<JobResult>;
  stop(): Promise<void>;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 10_000, cwd?: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { env, encoding: "utf8", timeout: timeoutMs, cwd });
}

export async function startSlurm(gpus = 4): Promise<SlurmCluster> {
  const dir = mkdtempSync(join(tmpdir(), "cs-slurm-"));
  chmodSync(dir, 0o755); // munged wants its socket's folder reachable by everyone
  const pids: string[] = [join(dir, "slurmd.pid"), join(dir, "slurmctld.pid"), join(dir, "munged.pid")];
  const stop = async () => {
    for (const file of pids) {
      const pid = existsSync(file) ? Number.parseInt(readFileSync(file, "utf8"), 10) : NaN;
      if (!Number.isInteger(pid) || pid <= 1 || !pidAlive(pid)) continue;
      process.kill(pid, "SIGTERM");
      for (let i = 0; i < 50 && pidAlive(pid); i++) await sleep(100);
      if (pidAlive(pid)) process.kill(pid, "SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const sub of ["dev", "state", "spool", "log"]) mkdirSync(join(dir, sub));
    for (let i = 0; i < gpus; i++) writeFileSync(join(dir, "dev", `nvidia${i}`), "");
    writeFileSync(join(dir, "munge.key"), randomBytes(1024), { mode: 0o600 });
    const socket = join(dir, "munge.sock");
    const munged = run("munged", [`--socket=${socket}`, `--key-file=${join(dir, "munge.key")}`, `--pid-file=${join(dir, "munged.pid")}`, `--log-file=${join(dir, "log/munged.log")}`, `--seed-file=${join(dir, "munge.seed")}`], process.env);
    if (munged.status !== 0) throw new Error(`munged did not start: ${munged.stderr}`);

    const node = hostname().split(".")[0]!;
    const cpus = /CPUs=([0-9]+)/.exec(run("slurmd", ["-C"], process.env).stdout)?.[1] ?? "1";
    const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
    const conf = join(dir, "slurm.conf");
    writeFileSync(
      conf,
      [
        "ClusterName=cuda-scaffold-test",
        `SlurmctldHost=${node}(127.0.0.1)`,
        `SlurmctldPort=${ctldPort}`,
        `SlurmdPort=${slurmdPort}`,
        "SlurmUser=root",
        "SlurmdUser=root",
        "AuthType=auth/munge",
        "CredType=cred/munge",
        `AuthInfo=socket=${socket}`,
        `StateSaveLocation=${join(dir, "state")}`,
        `SlurmdSpoolDir=${join(dir, "spool")}`,
        `SlurmctldPidFile=${join(dir, "slurmctld.pid")}`,
        `SlurmdPidFile=${join(dir, "slurmd.pid")}`,
        `SlurmctldLogFile=${join(dir, "log/slurmctld.log")}`,
        `SlurmdLogFile=${join(dir, "log/slurmd.log")}`,
        "ProctrackType=proctrack/linuxproc",
        // task/affinity binds each step to the CPUs it was given, so that nproc in a step shows them.
        "TaskPlugin=task/affinity",
        "JobAcctGatherType=jobacct_gather/none",
        "AccountingStorageType=accounting_storage/none",
        "JobCompType=jobcomp/none",
        "MpiDefault=none",
        "SelectType=select/cons_tres",
        "SelectTypeParameters=CR_Core",
        "GresTypes=gpu",
        "ReturnToService=2",
        "MinJobAge=600",
        "MailProg=/bin/true",
        // A batch job is scheduled at once, not up to 3 s later (slurm.conf(5): batch_sched_delay, default 3).
        "SchedulerParameters=batch_sched_delay=0",
        `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=100 Gres=gpu:${gpus} State=UNKNOWN`,
        "PartitionName=test Nodes=ALL Default=YES MaxTime=5 State=UP",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "gres.conf"), `AutoDetect=off\nNodeName=${node} Name=gpu File=${join(dir, "dev")}/nvidia[0-${gpus - 1}]\n`);
    const env = { ...process.env, SLURM_CONF: conf };
    for (const [daemon, args] of [["slurmctld", ["-c", "-i"]], ["slurmd", ["-c"]]] as const) {
      const r = run(daemon, [...args], env);
      if (r.status !== 0) throw new Error(`${daemon} did not start: ${r.stderr}`);
    }
    let state = "";
    for (let i = 0; i < 100 && state !== "idle"; i++) {
      await sleep(200);
      state = run("sinfo", ["-h", "-n", node, "-o", "%t"], env).stdout.trim();
    }
    if (state !== "idle") throw new Error(`the node did not become idle (state "${state}"): ${readFileSync(join(dir, "log/slurmd.log"), "utf8").slice(-2000)}`);

    const show = (id: string): Record<string, string> => {
      const out = run("scontrol", ["show", "job", id, "-o"], env).stdout;
      return Object.fromEntries([...out.matchAll(/(\S+?)=(\S*)/g)].map((m) => [m[1]!, m[2]!]));
    };
    const submit: SlurmCluster["submit"] = async (script, opts) => {
      // sbatch runs in opts.cwd, so that SLURM_SUBMIT_DIR is the project. The job is then watched
      // with scontrol (sbatch --wait polls far more slowly), up to a deadline.
      const r = run("sbatch", ["--parsable", ...(opts.args ?? []), script, ...(opts.scriptArgs ?? [])], { ...env, ...opts.env }, 10_000, opts.cwd);
      const id = /^([0-9]+)/.exec(r.stdout.trim())?.[1] ?? "";
      if (!id) return { id, code: r.status, record: {}, stdout: r.stdout, stderr: r.stderr };
      const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
      let record = show(id);
      while (!TERMINAL.has(record.JobState ?? "") && Date.now() < deadline) {
        await sleep(150);
        record = show(id);
      }
      if (!TERMINAL.has(record.JobState ?? "")) {
        run("scancel", [id], env);
        return { id, code: null, record, stdout: r.stdout, stderr: `${r.stderr}job ${id} did not finish in time (state ${record.JobState})` };
      }
      return { id, code: Number.parseInt(record.ExitCode ?? "", 10), record, stdout: r.stdout, stderr: r.stderr };
    };
    return { dir, node, gpus, cpus: Number(cpus), env, submit, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

// How the resolved framework starts its processes on each node: the launcher (matrix/cluster.yaml
// `launchers`) and, per style, where the node count, the node's rank and the rendezvous address
// come from — the pod's completion index and the headless Service on Kubernetes, Slurm's
// variables under Slurm. Pure; every word placed here comes from the data or from a number.
import type { Matrix } from "../../matrix/data.js";
import type { Launcher } from "../../matrix/types.gen.js";
import { satisfies } from "../../matrix/versions.js";
import type { Build, Resolution } from "../../resolve/types.js";

/** The script every launcher runs, relative to /workspace (the project). */
export const ENTRY = "train.py";

export interface EnvVar {
  name: string;
  /** a literal value; `$(NAME)` refers to a variable set before it (Kubernetes expands it) */
  value?: string;
  /** set from the pod's completion index */
  completionIndex?: true;
  why: string;
}

export interface LaunchPlan {
  /** the build the launcher belongs to (the first framework of the request, or the bare CUDA) */
  build: Build;
  launcher: Launcher;
  /** one node, the GPUs of one pod */
  single: string[];
  /** several nodes on Kubernetes: the command and the variables it needs, for an Indexed Job */
  multi: { command: string[]; env: EnvVar[]; why: string };
  /**
   * under Slurm: processes per node ("gpus": one per GPU), lines the batch script runs first (on
   * the first node), and the per-task shell body (run with bash -c; "$@" is the script and its
   * arguments)
   */
  slurm: { tasksPerNode: "one" | "gpus"; prelude: string[]; body: string; why: string };
}

/** The framework the run is launched with: the first framework build (torch in torch+jax), else the bare CUDA. */
export function launchBuild(res: Resolution): Build {
  return res.builds.find((b) => b.framework !== "cuda") ?? res.builds[0]!;
}

export function findLauncher(m: Matrix, b: Build): Launcher {
  const rule = m.cluster.launchers.find((l) => l.framework === b.framework && satisfies(b.version, l.versions));
  if (!rule) throw new Error(`matrix/cluster.yaml has no launcher for ${b.label}`);
  return rule;
}

/**
 * Prints the IPv4 address of the host named by its argument, or, given "", this host's own address
 * computed as paddle.distributed.launch computes it (Node.get_host_ip: gethostbyname(getfqdn(gethostname()))).
 */
export const MASTER_IP = `python -c 'import socket, sys; print(socket.gethostbyname(sys.argv[1] or socket.getfqdn(socket.gethostname())))'`;

/** What a JAX script calls: jax.distributed.initialize() reads only the coordinator address from the environment. */
export const JAX_INIT = `jax.distributed.initialize(num_processes=int(os.environ["JAX_NUM_PROCESSES"]), process_id=int(os.environ["JAX_PROCESS_ID"]))`;

/** The pod DNS name of index 0 of an Indexed Job whose pods use the headless Service `service`. */
export const indexZero = (service: string): string => `${service}-0.${service}`;

export function launchPlan(res: Resolution, m: Matrix, gpus: number, nodes: number, service: string): LaunchPlan {
  const build = launchBuild(res);
  const launcher = findLauncher(m, build);
  const cmd = launcher.command;
  const port = launcher.port ?? 29500;
  const head = indexZero(service);
  const rank: EnvVar = { name: "NODE_RANK", completionIndex: true, why: `this pod's index (0 to ${nodes - 1}), which the Job controller sets: the node's rank` };
  // Slurm's side: MASTER_ADDR and MASTER_PORT are exported by the batch script; the rest is per task.
  const slurmGpus = `"\${SLURM_GPUS_ON_NODE:-${gpus}}"`;
  switch (launcher.style) {
    case "torchrun":
      return {
        build, launcher,
        single: [...cmd, "--standalone", "--nnodes=1", `--nproc_per_node=${gpus}`, ENTRY],
        multi: { command: [...cmd, `--nnodes=${nodes}`, `--nproc_per_node=${gpus}`, "--node_rank=$(NODE_RANK)", `--master_addr=${head}`, `--master_port=${port}`, ENTRY], env: [rank], why: `${cmd.join(" ")} on every pod; the rendezvous runs on index 0 (${head}:${port})` },
        slurm: { tasksPerNode: "one", prelude: [], body: `exec ${cmd.join(" ")} --nnodes="$SLURM_JOB_NUM_NODES" --node_rank="$SLURM_NODEID" --nproc_per_node=${slurmGpus} --master_addr="$MASTER_ADDR" --master_port="$MASTER_PORT" "$@"`, why: `one ${cmd.join(" ")} per node, ranked by SLURM_NODEID, meeting on the first node of the job` },
      };
    case "torch-launch":
      return {
        build, launcher,
        single: [...cmd, `--nproc_per_node=${gpus}`, ENTRY],
        multi: { command: [...cmd, `--nnodes=${nodes}`, "--node_rank=$(NODE_RANK)", `--nproc_per_node=${gpus}`, `--master_addr=${head}`, `--master_port=${port}`, ENTRY], env: [rank], why: `${cmd.join(" ")} on every pod, meeting on index 0 (${head}:${port}); it passes --local_rank to the script` },
        slurm: { tasksPerNode: "one", prelude: [], body: `exec ${cmd.join(" ")} --nnodes="$SLURM_JOB_NUM_NODES" --node_rank="$SLURM_NODEID" --nproc_per_node=${slurmGpus} --master_addr="$MASTER_ADDR" --master_port="$MASTER_PORT" "$@"`, why: `one ${cmd.join(" ")} per node, ranked by SLURM_NODEID; it passes --local_rank to the script` },
      };
    case "tf-config": {
      const workers = Array.from({ length: nodes }, (_, i) => `"${service}-${i}.${service}:${port}"`).join(",");
      return {
        build, launcher,
        single: [...cmd, ENTRY],
        multi: {
          command: [...cmd, ENTRY],
          env: [rank, { name: "TF_CONFIG", value: `{"cluster":{"worker":[${workers}]},"task":{"type":"worker","index":$(NODE_RANK)}}`, why: "every worker and this pod's index, which MultiWorkerMirroredStrategy reads" }],
          why: "one TensorFlow worker per pod; TF_CONFIG lists the workers by their pod DNS names",
        },
        slurm: { tasksPerNode: "one", prelude: ['TF_WORKERS="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | sed "s/.*/\\"&:$MASTER_PORT\\"/" | paste -sd, -)"', "export TF_WORKERS"], body: `export TF_CONFIG="{\\"cluster\\":{\\"worker\\":[$TF_WORKERS]},\\"task\\":{\\"type\\":\\"worker\\",\\"index\\":$SLURM_NODEID}}"; exec ${cmd.join(" ")} "$@"`, why: "one TensorFlow worker per node; TF_CONFIG lists the job's nodes, indexed by SLURM_NODEID" },
      };
    }
    case "jax-env":
      return {
        build, launcher,
        single: [...cmd, ENTRY],
        multi: {
          command: [...cmd, ENTRY],
          env: [
            rank,
            { name: "JAX_COORDINATOR_ADDRESS", value: `${head}:${port}`, why: "index 0 hosts the coordinator; jax.distributed.initialize() reads this variable" },
            { name: "JAX_NUM_PROCESSES", value: String(nodes), why: "one JAX process per pod, which drives all of its GPUs; pass it to jax.distributed.initialize(num_processes=…)" },
            { name: "JAX_PROCESS_ID", value: "$(NODE_RANK)", why: "this process's id; pass it to jax.distributed.initialize(process_id=…)" },
          ],
          why: `one JAX process per pod; the script calls ${JAX_INIT}, since initialize() reads only JAX_COORDINATOR_ADDRESS from the environment`,
        },
        slurm: { tasksPerNode: "gpus", prelude: [], body: `export JAX_COORDINATOR_ADDRESS="$MASTER_ADDR:$MASTER_PORT" JAX_NUM_PROCESSES="$SLURM_NTASKS" JAX_PROCESS_ID="$SLURM_PROCID"; exec ${cmd.join(" ")} "$@"`, why: "one JAX process per GPU, as jax.distributed.initialize() expects under Slurm (each sees its own GPU)" },
      };
    case "paddle-launch": {
      if (launcher.masterAddress?.form === "ip") {
        // Node 0 passes its own address as the launcher computes it; the others resolve node 0's name.
        const ip = (host: string) => `"$(${MASTER_IP} ${host})"`;
        return {
          build, launcher,
          single: [...cmd, ENTRY],
          multi: {
            command: ["bash", "-c", [
              `if [ "$NODE_RANK" = 0 ]; then ip=${ip('""')}; else`,
              `until ip=${ip(head)}; do echo "waiting for ${head} to resolve" >&2; sleep 5; done; fi;`,
              `exec ${cmd.join(" ")} --master="$ip:${port}" --nnodes=${nodes} --rank="$NODE_RANK" ${ENTRY}`,
            ].join(" ")],
            env: [rank],
            why: `${cmd.join(" ")} on every pod, with index 0 (${head}, port ${port}) as its master, given by IP address: ${launcher.masterAddress.why}`,
          },
          slurm: { tasksPerNode: "one", prelude: [], body: `if [ "$SLURM_NODEID" = 0 ]; then h=""; else h="$MASTER_ADDR"; fi; ip=${ip('"$h"')} || exit 1; exec ${cmd.join(" ")} --master="$ip:$MASTER_PORT" --nnodes="$SLURM_JOB_NUM_NODES" --rank="$SLURM_NODEID" "$@"`, why: `one ${cmd.join(" ")} per node, ranked by SLURM_NODEID, with the first node as master, given by IP address (node 0 computes its own; the others resolve its name)` },
        };
      }
      return {
        build, launcher,
        single: [...cmd, ENTRY],
        multi: { command: [...cmd, `--master=${head}:${port}`, `--nnodes=${nodes}`, "--rank=$(NODE_RANK)", ENTRY], env: [rank], why: `${cmd.join(" ")} on every pod, with index 0 (${head}:${port}) as its master` },
        slurm: { tasksPerNode: "one", prelude: [], body: `exec ${cmd.join(" ")} --master="$MASTER_ADDR:$MASTER_PORT" --nnodes="$SLURM_JOB_NUM_NODES" --rank="$SLURM_NODEID" "$@"`, why: `one ${cmd.join(" ")} per node, ranked by SLURM_NODEID, with the first node as master` },
      };
    }
    case "env":
      return {
        build, launcher,
        single: [...cmd, ENTRY],
        multi: {
          command: [...cmd, ENTRY],
          env: [
            rank,
            { name: "NNODES", value: String(nodes), why: "the nodes of the run" },
            { name: "MASTER_ADDR", value: head, why: "index 0, where the program's rank 0 listens" },
            { name: "MASTER_PORT", value: String(port), why: "the port rank 0 listens on" },
          ],
          why: "one process per pod with NNODES, NODE_RANK, MASTER_ADDR and MASTER_PORT; the program sets up NCCL itself",
        },
        slurm: { tasksPerNode: "one", prelude: [], body: `export NNODES="$SLURM_JOB_NUM_NODES" NODE_RANK="$SLURM_NODEID"; exec ${cmd.join(" ")} "$@"`, why: "one process per node with NNODES, NODE_RANK, MASTER_ADDR and MASTER_PORT" },
      };
  }
}

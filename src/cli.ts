// Commander wiring; the only module that touches process and decides exit codes. Commands are
// imported lazily so that `--version` loads no command, and `resolve` or `list` only
// commands/chunk-resolve (not templates, writes or host probing); the rest is commands/chunk-render.
import { writeSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { UserError, type Problem } from "./errors.js";
import { TOOL_VERSION } from "./version.js";
import { terminalSafe } from "./terminal-text.js";
import { SUBCOMMANDS } from "./commands/subcommands.js";

// Output goes to the file descriptors with writeSync. process.stdout and process.stderr would load
// Node's streams, about a tenth of a start, to do the same: Node writes to files, pipes and
// terminals synchronously on POSIX too. A descriptor the parent left non-blocking (EAGAIN) is
// waited on, as a blocking one would be.
// A reader may close our output early (`cuda-scaffold list --json | head -1`): the rest of the
// output is dropped and the command ends with its own exit code, without a trace.
// Any other failure to write (a full disk behind `> file`) is reported once at the end, exit 1.
const STDOUT = 1;
const STDERR = 2;
const closed = new Set<number>();
let writeFailure: string | null = null;
let pause: Int32Array | undefined;

/** Writes a block of output; control characters from outside text are shown, never obeyed. */
function write(fd: number, s: string): void {
  if (closed.has(fd)) return;
  const bytes = Buffer.from(terminalSafe(s), "utf8");
  for (let at = 0; at < bytes.length; ) {
    try {
      at += writeSync(fd, bytes, at);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        Atomics.wait((pause ??= new Int32Array(new SharedArrayBuffer(4))), 0, 0, 1);
        continue;
      }
      closed.add(fd);
      if (code !== "EPIPE") writeFailure ??= `cuda-scaffold: could not write its ${fd === STDOUT ? "output" : "messages"} (${code ?? (err as Error).message}).`;
      return;
    }
  }
}

const print = (s: string) => write(STDOUT, `${s}\n`);

/** doctor, list and explain say so when the data is older than 120 days (on stderr, so --json stays clean). */
async function noteStaleData(): Promise<void> {
  const { matrix, staleDataNotice } = await import("./commands/chunk-resolve.js");
  const notice = staleDataNotice(matrix.platform.asOf, new Date());
  if (notice) write(STDERR, `${notice}\n`);
}

/** At most this many problems are printed (identical ones once). */
const MAX_PROBLEMS = 20;

function formatProblems(problems: Problem[]): string {
  const unique = [...new Set(problems.map(formatProblem))];
  const shown = unique.slice(0, MAX_PROBLEMS);
  if (unique.length > shown.length) shown.push(`… and ${unique.length - shown.length} more problems.`);
  return shown.join("\n\n");
}

function formatProblem(p: Problem): string {
  const lines = [`error[${p.code}]: ${p.message}`];
  if (p.alternatives?.length && !p.message.includes(p.alternatives[0]!) && !(p.hint ?? "").includes(p.alternatives[0]!)) {
    lines.push(`  exists: ${p.alternatives.join(", ")}`);
  }
  if (p.hint) lines.push(`  hint: ${p.hint}`);
  return lines.join("\n");
}

function requestOptions(cmd: Command): Command {
  return cmd
    .option("--cuda <version|range>", "pin CUDA (11.1, 11, >=12.1)")
    .option("--python <x.y>", "pin Python")
    .option("--gpu <list>", "target GPUs: names (a100, rtx3090) or compute capabilities (sm_80, 8.0), comma-separated; auto = this host's")
    .option("--driver <version>", "the host's NVIDIA driver (470.57.02); the stack must run on it; auto = this host's")
    .option("--os <name>", "container OS (ubuntu20.04, ubuntu22.04, ubuntu24.04, ubi9, …)")
    .option("--platform <platform>", "image platform: linux/amd64 (default) or linux/arm64 (Grace Hopper, Grace Blackwell, DGX Spark); --gpu gh200, gb200 or gb10 selects linux/arm64")
    .addOption(new Option("--variant <flavour>", "CUDA image flavour of the final stage").choices(["devel", "runtime", "base"]))
    .option("--name <name>", "project/service name in compose and the Dev Container (default: the output folder's name)")
    .option("--gpus <all|N|ids>", "GPUs the containers reserve: all, a count, device ids (0,1), or none")
    .option("--out <dir>", "output folder", ".")
    .option("--host-from <dir>", "with --gpu auto / --driver auto: read saved nvidia-smi outputs from this folder instead of this host")
    .option("--with <targets>", "add cluster files: k8s, slurm or k8s,slurm (needs --gpus <count>, the GPUs per node)")
    .option("--nodes <N>", "with --with: nodes of the run (default 1)")
    .option("--registry <prefix>", "with --with: where the image is pushed; the files use <prefix>/<name>:<tag from the lock>")
    .option("--runtime-class <name>", "with --with k8s: runtimeClassName for the pods (left out by default)")
    .option("--k8s-gfd", "with --with k8s: node affinity on GPU Feature Discovery labels for the driver floor and the GPUs the wheels cover")
    .option("--project <dir>", "read the stack from a project's dependency files (requirements*.txt, setup.py, setup.cfg, pyproject.toml, environment.yml, Pipfile, uv.lock, poetry.lock); a spec given too wins over them")
    .option("--allow-upgrade", "with a project: take the nearest framework version that runs on the target when the pinned one cannot (listed as a change)")
    .option("--mirror <preset|file>", "fetch from mirrors: a preset (cn) or a mirror file (./mirrors.yaml); every source stays a build argument")
    .option("--allow-insecure-mirror", "with --mirror: accept http:// mirrors")
    .option("--engine <docker|podman>", "the container engine the files and the host script are for: docker (default) or podman (GPUs as CDI devices)");
}

/** The most GPUs one --gpu list may name (there are about 60 known GPUs). */
const MAX_GPU_LIST = 64;

/** --gpu a100,A100, a100 names one GPU: entries are de-duplicated (case and spaces ignored), and capped. */
function gpuList(value: string | undefined): string | undefined {
  if (value === undefined || value === "auto") return value;
  const seen = new Map<string, string>();
  for (const entry of value.split(",")) {
    const key = entry.trim().toLowerCase();
    if (!seen.has(key)) seen.set(key, entry);
  }
  if (seen.size > MAX_GPU_LIST) {
    throw new UserError([{ code: "invalid-value", message: `--gpu lists ${seen.size} different GPUs; at most ${MAX_GPU_LIST} can be targeted.`, hint: "Name each kind of GPU once (a100,h100), or use compute capabilities (sm_80,sm_90)." }]);
  }
  return [...seen.values()].join(",");
}

/** Replaces --gpu auto / --driver auto with this host's values (lazily: only then is the prober loaded). */
async function hostValues<T extends { gpu?: string; driver?: string; hostFrom?: string }>(opts: T): Promise<T> {
  const auto = opts.gpu === "auto" || opts.driver === "auto";
  if (opts.hostFrom !== undefined && !auto) {
    throw new UserError([{ code: "invalid-value", message: "--host-from is read only with --gpu auto or --driver auto, and neither was given.", hint: "Add --gpu auto and/or --driver auto to take those values from the saved outputs, or leave --host-from out." }]);
  }
  const typed = { ...opts, gpu: gpuList(opts.gpu) };
  if (!auto) return typed;
  return (await import("./commands/chunk-render.js")).resolveAuto(typed, opts.hostFrom);
}

async function main(argv: string[]): Promise<number> {
  let code = 0;
  const run = (fn: () => number | Promise<number>) => async () => {
    code = await fn();
  };
  const program = new Command("cuda-scaffold")
    .description("Resolve a deep-learning framework version to a CUDA stack that exists today, and write the files that build it.")
    .version(TOOL_VERSION, "-V, --version")
    .exitOverride()
    .configureOutput({ writeOut: (s) => write(STDOUT, s), writeErr: (s) => write(STDERR, s), outputError: (s, write) => write(s.startsWith("error") ? s : `error: ${s}`) })
    .showSuggestionAfterError(true)
    .enablePositionalOptions();

  // Commander builds an object for every option of every command it is given, about seventy: a run
  // is given only what it can use. A subcommand's name first runs that subcommand alone; no
  // subcommand's name anywhere (and no help asked) runs the default command alone, a lone
  // --version none; anything else gets every command.
  const only =
    argv.length === 1 && (argv[0] === "-V" || argv[0] === "--version") ? "-V"
    : argv[0] !== undefined && (SUBCOMMANDS as readonly string[]).includes(argv[0]) ? argv[0]
    : argv.some((a) => (SUBCOMMANDS as readonly string[]).includes(a) || a === "help" || a === "-h" || a === "--help") ? null
    : "";
  const want = (name: string) => only === null || only === name;

  if (want("")) {
    requestOptions(program.argument("[specs...]", "framework[@version-or-range]: torch, tensorflow (tf), jax, paddle, cuda"))
      .option("--force", "overwrite files that were edited by hand")
      .option("--dry-run", "print what would change, write nothing")
      .option("--json", "machine-readable output on stdout")
      .action(async (specs: string[], opts) => run(async () => (await import("./commands/chunk-render.js")).generate(specs, await hostValues(opts), print))());
  }

  if (want("resolve")) {
    requestOptions(program.command("resolve").argument("[specs...]", "framework[@version-or-range]; none: read the project (--project, else --out)").description("print the resolution only").option("--json", "one JSON object on stdout"))
      .action(async (specs: string[], opts) => run(async () => (await import("./commands/chunk-resolve.js")).resolve(specs, await hostValues(opts), print))());
  }

  if (want("explain")) {
    requestOptions(program.command("explain").argument("[specs...]", "framework[@version-or-range]; none: read the project (--project, else --out)").description("every candidate considered, and why each was chosen or rejected, with sources"))
      .action(async (specs: string[], opts) => run(async () => (await noteStaleData(), (await import("./commands/chunk-render.js")).explain(specs, await hostValues(opts), print)))());
  }

  if (want("list")) {
    program
      .command("list")
      .argument("[what]", "a framework (torch, tensorflow, jax, paddle), cuda, or gpus")
      .description("known versions and their CUDA builds")
      .option("--json", "JSON on stdout")
      .action(async (what: string | undefined, opts) => run(async () => (await noteStaleData(), (await import("./commands/chunk-resolve.js")).list(what, opts, print)))());
  }

  if (want("check")) {
    program
      .command("check")
      .description("re-render from cuda-scaffold.lock.json and fail (exit 2) on drift, hand edits or an end-of-life base")
      .option("--out <dir>", "folder holding cuda-scaffold.lock.json", ".")
      .option("--json", "JSON on stdout")
      .action(async (opts) => run(async () => (await import("./commands/chunk-render.js")).check(opts, print))());
  }

  if (want("doctor")) {
    program
      .command("doctor")
      .description("inspect this host (driver, GPUs, CUDA, container toolkit, Docker) and say which stacks it can run")
      .option("--from <dir>", "read saved nvidia-smi and other outputs from a folder instead of running them")
      .option("--network", "check instead whether every endpoint the generated files fetch from answers (short timeouts)")
      .option("--mirror <preset|file>", "with --network: check these mirrors instead of the public hosts")
      .option("--allow-insecure-mirror", "with --mirror: accept http:// mirrors")
      .option("--timeout <ms>", "with --network: how long each endpoint may take (default 5000)")
      .option("--json", "JSON on stdout")
      .action(async (opts) => run(async () => (await noteStaleData(), (await import("./commands/chunk-render.js")).doctor(opts, print)))());
  }

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    throw err;
  }
  return code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    if (writeFailure !== null) {
      write(STDERR, `${writeFailure}\n`);
      process.exitCode = code || 1;
    }
  },
  (err: unknown) => {
    if (err instanceof UserError) {
      write(STDERR, `${formatProblems(err.problems)}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    write(STDERR, `cuda-scaffold ${TOOL_VERSION} hit a bug (this is not your fault):\n${err instanceof Error ? err.stack : String(err)}\nPlease report it with the command you ran.\n`);
    process.exitCode = 70;
  },
);

// Runs the real Dev Containers CLI (node_modules/.bin/devcontainer, package @devcontainers/cli)
// against a rendered project, with `--docker-path` pointing at test/support/stand-in-docker.mjs, and
// reads back every docker command the CLI issued. No Docker engine, network or GPU is needed.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { ROOT } from "./shared.js";
import type { GeneratedFile } from "../../src/render/render-files.js";

export const DEVCONTAINER_BIN = join(ROOT, "node_modules/.bin/devcontainer");
export const hasDevcontainerCli = existsSync(DEVCONTAINER_BIN);
export const STAND_IN_DOCKER = join(ROOT, "test/support/stand-in-docker.mjs");

/** One call of the stand-in docker, in order. Builds also carry the text of their -f Dockerfile. */
export interface DockerCall {
  argv: string[];
  dockerfile?: string | null;
}

/** A command the CLI sent to a shell server (`docker exec -i … /bin/sh`) in the container. */
export interface ShellCommand {
  shell: string;
  user: string;
}

export interface CliRun {
  code: number | null;
  /** The JSON line `devcontainer up|build` prints on stdout, e.g. {"outcome":"success",…}. */
  result: { outcome?: string; message?: string; description?: string; [k: string]: unknown } | undefined;
  stdout: string;
  /** The CLI's own log (--log-level trace). */
  log: string;
  calls: DockerCall[];
  shell: ShellCommand[];
  /** The folder holding the log, the stand-in's state and the CLI's TMPDIR. */
  dir: string;
}

export interface RunOptions {
  command: "up" | "build";
  workspace: string;
  /** Whether the stand-in's `docker info` lists the nvidia runtime (what the CLI probes for hostRequirements.gpu). */
  nvidiaRuntime: boolean;
  /** The host user's UID/GID as the CLI sees them (process.getuid/getgid), and as exported UID/GID variables. */
  hostUid?: number;
  hostGid?: number;
  extraArgs?: string[];
  timeoutMs?: number;
}

/** Writes rendered files into a fresh folder, as `cuda-scaffold --out` would. */
export function writeProject(files: GeneratedFile[], prefix = "cs-dc-ws-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const f of files) {
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content, { mode: f.mode });
  }
  return dir;
}

const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function runDevcontainer(o: RunOptions): Promise<CliRun> {
  const dir = mkdtempSync(join(tmpdir(), "cs-dc-cli-"));
  const logFile = join(dir, "docker-calls.jsonl");
  writeFileSync(logFile, "");

  // The CLI keeps its scratch files in $TMPDIR/devcontainercli-<user>. A fresh control manifest there
  // keeps it from fetching https://containers.dev/static/devcontainer-control-manifest.json
  // (it refetches only when the cached copy is older than 5 minutes).
  const tmp = join(dir, "tmp");
  const scratch = join(tmp, process.platform === "linux" ? `devcontainercli-${userInfo().username}` : "devcontainercli");
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, "control-manifest.json"), JSON.stringify({ disallowedFeatures: [], featureAdvisories: [] }));

  // --docker-path must name one executable: a wrapper that runs the stand-in with this very node.
  // The stand-in makes no TLS connections, and NODE_EXTRA_CA_CERTS, where set, costs every one of
  // its ~20 starts per `up` a parse of the CA bundle (on a small machine, two thirds of its start-up).
  const docker = join(dir, "docker");
  writeFileSync(docker, `#!/bin/sh\nunset NODE_EXTRA_CA_CERTS NODE_OPTIONS\nexec ${shQuote(process.execPath)} ${shQuote(STAND_IN_DOCKER)} "$@"\n`, { mode: 0o755 });

  // The CLI takes the host user's ids from process.getuid()/getgid() (its cliHost.getuid); this
  // preload makes it see the ids the test asks for.
  const args: string[] = [];
  if (o.hostUid !== undefined) {
    const preload = join(dir, "host-ids.cjs");
    writeFileSync(preload, `process.getuid = () => ${o.hostUid};\nprocess.getgid = () => ${o.hostGid ?? o.hostUid};\n`);
    args.push("--require", preload);
  }
  args.push(realpathSync(DEVCONTAINER_BIN), o.command, "--workspace-folder", o.workspace, "--docker-path", docker, "--log-level", "trace", ...(o.extraArgs ?? []));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: tmp,
    NO_COLOR: "1",
    DOCKER_STANDIN_LOG: logFile,
    DOCKER_STANDIN_STATE: join(dir, "state"),
    DOCKER_STANDIN_NVIDIA: o.nvidiaRuntime ? "1" : "0",
  };
  if (o.hostUid !== undefined) {
    env.UID = String(o.hostUid);
    env.GID = String(o.hostGid ?? o.hostUid);
  }

  const child = spawn(process.execPath, args, { cwd: o.workspace, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let log = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (log += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 100_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  clearTimeout(timer);

  const lines = readFileSync(logFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as DockerCall & ShellCommand);
  const last = stdout.trim().split("\n").at(-1);
  let result: CliRun["result"];
  try {
    result = last ? JSON.parse(last) : undefined;
  } catch {
    result = undefined;
  }
  return {
    code,
    result,
    stdout,
    log,
    calls: lines.filter((l) => Array.isArray(l.argv)),
    shell: lines.filter((l) => typeof l.shell === "string"),
    dir,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the calls.

export const isBuild = (c: DockerCall) => c.argv[0] === "build" || (c.argv[0] === "buildx" && c.argv[1] === "build");

/** Values of a flag given as `--flag value` or `--flag=value`. */
export function flagValues(argv: string[], flag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === flag && i + 1 < argv.length) out.push(argv[++i]!);
    else if (argv[i]!.startsWith(flag + "=")) out.push(argv[i]!.slice(flag.length + 1));
  }
  return out;
}

export function buildArg(c: DockerCall, name: string): string | undefined {
  return flagValues(c.argv, "--build-arg").find((a) => a.startsWith(name + "="))?.slice(name.length + 1);
}

/** The CLI's image build of the project's Dockerfile (not its updateUID build). */
export const mainBuilds = (calls: DockerCall[]) => calls.filter((c) => isBuild(c) && buildArg(c, "NEW_UID") === undefined);
/** The CLI's build of scripts/updateUID.Dockerfile, which re-maps the remote user's UID/GID. */
export const uidBuilds = (calls: DockerCall[]) => calls.filter((c) => isBuild(c) && buildArg(c, "NEW_UID") !== undefined);
export const runCalls = (calls: DockerCall[]) => calls.filter((c) => c.argv[0] === "run" || (c.argv[0] === "container" && c.argv[1] === "run"));

/** The options part of a `docker run` argv: up to the image, which follows the CLI's `--entrypoint /bin/sh`. */
export function runOptions(argv: string[]): string[] {
  const e = argv.lastIndexOf("--entrypoint");
  return e === -1 ? argv : argv.slice(0, e + 2);
}

export interface GpuRequest {
  /** The flag as given, e.g. `--gpus=all` or `--gpus "device=0,1"`. */
  given: string;
  /** -1 for all. */
  count?: number;
  deviceIds?: string[];
  /** Why docker would refuse it, if it would. */
  error?: string;
}

/** Go's encoding/csv reading one record (the docker CLI parses a --gpus value with it). */
function goCsvRecord(s: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (s[i] === '"') {
      i++;
      for (;;) {
        if (i >= s.length) return `extraneous or missing " in quoted-field`;
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += s[i++];
      }
      if (i < s.length && s[i] !== ",") return `extraneous or missing " in quoted-field`;
    } else {
      while (i < s.length && s[i] !== ",") {
        if (s[i] === '"') return `bare " in non-quoted-field`;
        field += s[i++];
      }
    }
    fields.push(field);
    if (i >= s.length) return fields;
    i++; // the comma
  }
}

/**
 * A --gpus value as docker would take it: docker/cli opts/gpus.go (GpuOpts.Set) reads it as one CSV
 * record, so `device=0,1` unquoted is two fields, `device=0` and a count `1`, which the daemon then
 * refuses ("cannot set both Count and DeviceIDs on device request"); the documented form is
 * `--gpus '"device=0,1"'`, i.e. the argv value `"device=0,1"` with its double quotes.
 */
export function parseGpusValue(value: string): Omit<GpuRequest, "given"> {
  const fields = goCsvRecord(value);
  if (typeof fields === "string") return { error: fields };
  const req: Omit<GpuRequest, "given"> = {};
  const seen = new Set<string>();
  const count = (s: string) => (s === "all" ? -1 : /^-?\d+$/.test(s) ? Number(s) : undefined);
  for (const field of fields) {
    const eq = field.indexOf("=");
    const key = eq === -1 ? field : field.slice(0, eq);
    const val = eq === -1 ? undefined : field.slice(eq + 1);
    if (seen.has(key)) return { error: `gpu request key '${key}' can be specified only once` };
    seen.add(key);
    if (val === undefined) {
      seen.add("count");
      req.count = count(key);
      if (req.count === undefined) return { error: `invalid count (${key})` };
      continue;
    }
    if (key === "count") {
      req.count = count(val);
      if (req.count === undefined) return { error: `invalid count (${val})` };
    } else if (key === "device") req.deviceIds = val.split(",");
    else if (key !== "driver" && key !== "capabilities" && key !== "options") return { error: `unexpected key '${key}' in '${field}'` };
  }
  if (req.count !== undefined && req.count !== 0 && req.deviceIds) return { ...req, error: "cannot set both Count and DeviceIDs on device request" };
  return req;
}

/** Every GPU request in a `docker run` argv: --gpus flags, and CDI `--device nvidia.com/gpu=…`. */
export function gpuRequests(argv: string[]): GpuRequest[] {
  const opts = runOptions(argv);
  const out: GpuRequest[] = [];
  for (let i = 0; i < opts.length; i++) {
    const a = opts[i]!;
    let flag: string | undefined;
    let value: string | undefined;
    if (a === "--gpus" || a === "--device") {
      flag = a;
      value = opts[++i];
    } else if (a.startsWith("--gpus=") || a.startsWith("--device=")) {
      flag = a.slice(0, a.indexOf("="));
      value = a.slice(a.indexOf("=") + 1);
    }
    if (flag === undefined || value === undefined) continue;
    if (flag === "--gpus") out.push({ given: `${flag} ${value}`, ...parseGpusValue(value) });
    else if (value.startsWith("nvidia.com/gpu=")) {
      const ids = value.slice("nvidia.com/gpu=".length);
      out.push({ given: `${flag} ${value}`, ...(ids === "all" ? { count: -1 } : { deviceIds: ids.split(",") }) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The venv after the CLI's UID remap.

/** The Dockerfile's instructions, continuation lines joined, comments and heredoc bodies left out. */
export function dockerfileInstructions(text: string): string[] {
  const out: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      const next = lines[++i]!;
      if (/^\s*#/.test(next)) continue;
      line = line.replace(/\\\s*$/, " ") + next;
    }
    out.push(line.trim());
    const heredoc = /<<-?"?'?(\w+)/.exec(line);
    if (heredoc && /^(COPY|ADD|RUN)\b/i.test(line)) while (i + 1 < lines.length && lines[++i]!.trim() !== heredoc[1]);
  }
  return out;
}

/**
 * Whether the Dockerfile keeps `venv` writable for `user` through a supplementary group that the
 * CLI's updateUID.Dockerfile leaves alone: it rewrites the user's own UID and primary GID (and the
 * /etc/group line of that GID) but not other groups' member lists. Read from the Dockerfile's text,
 * so it recognises the usual spellings only: the group is created (groupadd), the user is a member
 * (useradd -G/--groups, usermod -aG, gpasswd -a, adduser USER GROUP), the venv folder is given to it
 * setgid and group-writable (install -d -m 2775 -g GROUP, or chgrp + chmod g+ws), and every RUN
 * that writes into the venv runs under umask 0002.
 */
export function venvGroupProblems(dockerfile: string, user: string, venv: string): string[] {
  const runs = dockerfileInstructions(dockerfile).filter((l) => /^RUN\b/i.test(l));
  const unq = (w: string) => w.replace(/^["']|["']$/g, "");
  // Simple commands, as word lists: RUN bodies split at && || | ; and shell keywords dropped.
  const commands = runs
    .flatMap((r) => r.replace(/^RUN\s+(--\S+\s+)*/i, "").split(/&&|\|\||[|;]/))
    .map((c) => c.trim().split(/\s+/).map(unq).filter((w) => !["if", "then", "else", "fi", "do", "done", "!"].includes(w)))
    .filter((c) => c.length > 0);
  const option = (c: string[], ...names: string[]): string | undefined => {
    for (let i = 0; i < c.length; i++) {
      for (const n of names) {
        if (c[i] === n) return c[i + 1];
        if (n.startsWith("--") && c[i]!.startsWith(n + "=")) return c[i]!.slice(n.length + 1);
      }
    }
    return undefined;
  };
  const operands = (c: string[]) => c.slice(1).filter((w, i, a) => !w.startsWith("-") && !/^-[a-zA-Z]$/.test(a[i - 1] ?? ""));
  let group: string | undefined;
  let mode: number | undefined;
  const octal = (m: string | undefined) => (m && /^[0-7]{3,4}$/.test(m) ? parseInt(m, 8) : undefined);
  for (const c of commands) {
    if (!c.includes(venv)) continue;
    if (c[0] === "install" && (c.includes("-d") || c.includes("--directory"))) {
      group = option(c, "-g", "--group") ?? group;
      mode = octal(option(c, "-m", "--mode")) ?? mode;
    } else if (c[0] === "chgrp") group = operands(c)[0] ?? group;
    else if (c[0] === "chown" && operands(c)[0]?.includes(":")) group = operands(c)[0]!.split(":")[1] || group;
    else if (c[0] === "chmod") {
      const m = operands(c)[0] ?? "";
      mode = octal(m) ?? (/g\+\w*w/.test(m) ? (mode ?? 0o755) | 0o020 | (/g\+\w*s/.test(m) ? 0o2000 : 0) : mode);
    }
  }
  if (!group) return [`nothing gives ${venv} a group (install -d -g GROUP, chgrp, chown USER:GROUP)`];
  const problems: string[] = [];
  if (["${USER_GID}", "$USER_GID", "${USERNAME}", "$USERNAME", user, "1000"].includes(group)) {
    return [`${venv} belongs to ${user}'s primary group (${group}), whose GID the remap changes`];
  }
  if (!commands.some((c) => c[0] === "groupadd" && c.at(-1) === group)) problems.push(`group ${group} is not created (groupadd)`);
  const inList = (v: string | undefined) => (v ?? "").split(",").includes(group!);
  const member = commands.some(
    (c) =>
      (c[0] === "useradd" && inList(option(c, "-G", "--groups"))) ||
      (c[0] === "usermod" && (inList(option(c, "-G", "-aG", "--groups", "--append-groups")) || inList(c[c.indexOf("-aG") + 1]))) ||
      (c[0] === "gpasswd" && c.includes("-a") && c.at(-1) === group) ||
      (c[0] === "adduser" && operands(c).length === 2 && operands(c)[1] === group),
  );
  if (!member) problems.push(`${user} is not made a member of ${group} (useradd -G, usermod -aG, gpasswd -a, adduser USER GROUP)`);
  if (mode === undefined || !(mode & 0o020)) problems.push(`${venv} is not group-writable (mode ${mode === undefined ? "not set" : mode.toString(8)})`);
  else if (!(mode & 0o2000)) problems.push(`${venv} is not setgid (mode ${mode.toString(8)}): what the build puts in it keeps the build user's primary group`);
  const writesVenv = (r: string) => /\buv\s+(pip|venv|sync)\b|\bpip3?\s+install\b|-m\s+(venv|pip)\b/.test(r);
  for (const r of runs) if (writesVenv(r) && !/\bumask\s+0?0?02\b/.test(r)) problems.push(`a RUN writes into ${venv} without umask 0002: ${r.slice(0, 140)}…`);
  return problems;
}

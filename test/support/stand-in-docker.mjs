#!/usr/bin/env node
// A stand-in for the `docker` executable, for running the real Dev Containers CLI
// (`devcontainer up|build --docker-path <this>`) where no Docker engine exists.
//
// Each call appends one JSON line `{"argv":[...]}` to the file named by DOCKER_STANDIN_LOG and
// answers the way Docker 27 would, just enough for the CLI to carry on:
//   version / info (with -f/--format templates) / buildx version / build / buildx build / tag /
//   inspect (--type image|container) / ps -q / run / events / exec / start / rm / stop.
// A build's line also has "dockerfile": the text of its -f file. Commands that the CLI sends to a
// shell server in the container (see exec below) are logged as `{"shell":CMD,"user":USER}` lines.
// Images and containers "exist" as JSON files under DOCKER_STANDIN_STATE (default: the log's folder).
//
// Environment:
//   DOCKER_STANDIN_LOG     file to append argv lines to (required)
//   DOCKER_STANDIN_STATE   folder for images/ and containers/ (default: dirname of the log)
//   DOCKER_STANDIN_NVIDIA  "1": `docker info` lists the nvidia runtime; anything else: it does not
//
// Nothing here runs a program "in the container": `docker exec` answers the Dev Containers CLI's
// probes from a small table (see exec() below) and otherwise succeeds silently.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";

const argv = process.argv.slice(2);
const LOG = process.env.DOCKER_STANDIN_LOG;
if (!LOG) {
  process.stderr.write("stand-in docker: DOCKER_STANDIN_LOG is not set\n");
  process.exit(125);
}
const STATE = process.env.DOCKER_STANDIN_STATE || dirname(LOG);
const NVIDIA = process.env.DOCKER_STANDIN_NVIDIA === "1";
const SERVER_VERSION = "27.3.1";
const BUILDX_VERSION = "v0.17.1";
const REMOTE_USER = "dev";
const IMAGE_UID = 1000;

// One line per call. A build's line also carries the Dockerfile it was given (the CLI's generated
// files live in a temporary folder), so that tests can check which stage it builds.
const isBuild = argv[0] === "build" || (argv[0] === "buildx" && argv[1] === "build");
const buildFile = isBuild ? flagValue(argv, "-f", "--file") : undefined;
const dockerfile = buildFile && existsSync(buildFile) ? readFileSync(buildFile, "utf8") : undefined;
appendFileSync(LOG, JSON.stringify(isBuild ? { argv, dockerfile: dockerfile ?? null } : { argv }) + "\n");

const out = (s) => process.stdout.write(s);
const err = (s) => process.stderr.write(s);
const sha = (s) => createHash("sha256").update(s).digest("hex");
const dir = (kind) => {
  const d = join(STATE, kind);
  mkdirSync(d, { recursive: true });
  return d;
};
const fileFor = (kind, key) => join(dir(kind), sha(key).slice(0, 32) + ".json");
// Other calls read these files while this one writes: write aside, then rename into place.
const save = (kind, key, obj) => {
  const f = fileFor(kind, key);
  writeFileSync(`${f}.${process.pid}.tmp`, JSON.stringify(obj));
  renameSync(`${f}.${process.pid}.tmp`, f);
};
const load = (kind, key) => {
  const f = fileFor(kind, key);
  return existsSync(f) ? JSON.parse(readFileSync(f, "utf8")) : undefined;
};
const all = (kind) => readdirSync(dir(kind)).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(readFileSync(join(dir(kind), f), "utf8")));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Splits off the value of a flag like `--format X`, `--format=X` or `-f X`. */
function flagValue(args, ...names) {
  for (let i = 0; i < args.length; i++) {
    for (const n of names) {
      if (args[i] === n) return args[i + 1];
      if (args[i].startsWith(n + "=")) return args[i].slice(n.length + 1);
    }
  }
  return undefined;
}
function flagValues(args, ...names) {
  const vals = [];
  for (let i = 0; i < args.length; i++) {
    for (const n of names) {
      if (args[i] === n) vals.push(args[++i]);
      else if (args[i].startsWith(n + "=")) vals.push(args[i].slice(n.length + 1));
    }
  }
  return vals;
}

// ---------------------------------------------------------------------------------------------
// What `docker info` knows, and a tiny Go-template evaluator for `-f '{{.A.B}}'` / `{{json .A}}`.
const INFO = {
  ID: "STAND-IN",
  OSType: "linux",
  Architecture: "x86_64",
  OperatingSystem: "Stand-in Linux",
  ServerVersion: SERVER_VERSION,
  Driver: "overlay2",
  DefaultRuntime: "runc",
  Runtimes: {
    runc: { path: "runc" },
    io_containerd_runc_v2: { path: "runc" },
    ...(NVIDIA ? { nvidia: { path: "nvidia-container-runtime" } } : {}),
  },
  Host: { Security: { SELinuxEnabled: false } },
  SecurityOptions: ["name=seccomp,profile=builtin", "name=cgroupns"],
};
function goValue(v) {
  if (v === undefined) return "<no value>";
  if (v === null) return "<nil>";
  // Go's fmt prints a runtime struct {Path Args Options} as `{nvidia-container-runtime [] <nil>}`.
  if (typeof v === "object" && !Array.isArray(v) && "path" in v) return `{${v.path} [] <nil>}`;
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (typeof v === "object") return `map[${Object.entries(v).map(([k, x]) => `${k}:${goValue(x)}`).join(" ")}]`;
  return String(v);
}
function template(fmt, data) {
  return fmt.replace(/\{\{\s*(json\s+)?\.([\w.]*)\s*\}\}/g, (_, json, path) => {
    let v = data;
    for (const k of path.split(".").filter(Boolean)) v = v == null ? undefined : v[k];
    return json ? JSON.stringify(v ?? null) : goValue(v);
  });
}

// ---------------------------------------------------------------------------------------------
function image(name, extra = {}) {
  const id = "sha256:" + sha("image:" + name);
  return {
    Id: id,
    RepoTags: [name.includes(":") || name.includes("@") ? name : name + ":latest"],
    RepoDigests: [],
    Created: "2024-01-01T00:00:00Z",
    Os: "linux",
    Architecture: "amd64",
    Config: {
      User: extra.user ?? "",
      Env: ["PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NVIDIA_VISIBLE_DEVICES=all"],
      Cmd: ["bash"],
      Entrypoint: null,
      WorkingDir: "/workspace",
      Labels: extra.labels ?? {},
    },
  };
}

/** The value of a `--build-arg NAME=…`, if given. */
const buildArg = (buildArgs, name) => buildArgs.find((a) => a.startsWith(name + "="))?.slice(name.length + 1);

/** `LABEL devcontainer.metadata="…"` of the Dockerfile the CLI generated, unescaped, as docker would store it. */
function metadataLabel(dockerfile) {
  const m = /LABEL devcontainer\.metadata="((?:[^"\\]|\\[\s\S])*)"/.exec(dockerfile ?? "");
  return m ? m[1].replace(/\\\r?\n/g, "").replace(/\\(["\\$])/g, "$1") : undefined;
}

function build(args) {
  // docker build / buildx build: "build" an image under each -t, with the labels it would get.
  const tags = flagValues(args, "-t", "--tag");
  const labels = Object.fromEntries(flagValues(args, "--label").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  const metadata = metadataLabel(dockerfile);
  if (metadata) labels["devcontainer.metadata"] = metadata;
  const buildArgs = flagValues(args, "--build-arg");
  let uid = Number(buildArg(buildArgs, "USER_UID") ?? /^ARG USER_UID=(\d+)/m.exec(dockerfile ?? "")?.[1] ?? IMAGE_UID);
  let gid = Number(buildArg(buildArgs, "USER_GID") ?? /^ARG USER_GID=(\d+)/m.exec(dockerfile ?? "")?.[1] ?? IMAGE_UID);
  let user = buildArg(buildArgs, "_DEV_CONTAINERS_IMAGE_USER") ?? REMOTE_USER;
  let reowned = [];
  const base = buildArg(buildArgs, "BASE_IMAGE");
  if (base && buildArg(buildArgs, "NEW_UID") !== undefined) {
    // The CLI's scripts/updateUID.Dockerfile: rewrites the remote user's UID/GID in /etc/passwd unless
    // another user has the new UID, and `chown -R`s the user's home folder — nothing else.
    const from = load("images", base) ?? image(base);
    const newUid = Number(buildArg(buildArgs, "NEW_UID"));
    const newGid = Number(buildArg(buildArgs, "NEW_GID"));
    uid = from.StandIn?.uid ?? IMAGE_UID;
    gid = from.StandIn?.gid ?? IMAGE_UID;
    user = buildArg(buildArgs, "IMAGE_USER") ?? user;
    Object.assign(labels, from.Config.Labels);
    const taken = newUid === 0 && uid !== 0; // root has UID 0
    if (!(uid === newUid && gid === newGid) && !taken) {
      uid = newUid;
      gid = newGid;
      reowned = [`/home/${buildArg(buildArgs, "REMOTE_USER")}`];
    }
  }
  for (const t of tags) save("images", t, { ...image(t, { user, labels }), StandIn: { uid, gid, reowned } });
  err('#0 building with "default" instance using docker driver\n#1 DONE 0.0s\n');
  for (const t of tags) err(`#9 naming to docker.io/library/${t} done\n`);
  return 0;
}

function inspect(args) {
  const type = flagValue(args, "--type");
  const names = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--type" || args[i] === "-f" || args[i] === "--format") i++;
    else if (!args[i].startsWith("-")) names.push(args[i]);
  }
  const found = [];
  for (const n of names) {
    if (type !== "image") {
      const c = all("containers").find((x) => x.Id === n || x.Id.startsWith(n) || x.Name === "/" + n);
      if (c) {
        found.push(c);
        continue;
      }
    }
    if (type !== "container") {
      // Every image exists: base images as if pulled, built ones with the labels they were built with.
      found.push(load("images", n) ?? image(n, { user: "" }));
      continue;
    }
    out("[]\n");
    err(`Error response from daemon: No such container: ${n}\n`);
    return 1;
  }
  const fmt = flagValue(args, "-f", "--format");
  if (fmt) out(found.map((x) => template(fmt, x)).join("\n") + "\n");
  else out(JSON.stringify(found, null, 4) + "\n");
  return 0;
}

function ps(args) {
  const filters = flagValues(args, "--filter", "-f").filter((f) => f.startsWith("label="));
  const wanted = filters.map((f) => f.slice("label=".length));
  const showAll = args.includes("-a") || args.includes("--all");
  const hits = all("containers").filter((c) => (showAll || c.State.Running) && wanted.every((w) => {
    const eq = w.indexOf("=");
    return eq === -1 ? w in c.Config.Labels : c.Config.Labels[w.slice(0, eq)] === w.slice(eq + 1);
  }));
  out(hits.map((c) => c.Id.slice(0, 12) + "\n").join(""));
  return 0;
}

/** Parses `docker run` options; returns [options, image, command]. */
const RUN_VALUE_FLAGS = new Set(["-a", "--attach", "-e", "--env", "-l", "--label", "-v", "--volume", "--mount", "-u", "--user", "-w", "--workdir", "--entrypoint", "--name", "--gpus", "--shm-size", "-p", "--publish", "--network", "--cap-add", "--security-opt", "--ipc", "--runtime", "--device", "--ulimit", "--env-file", "--platform", "--userns", "-h", "--hostname", "--add-host", "--memory", "--cpus", "--init-path", "--pid", "--group-add", "--tmpfs", "--label-file", "--restart", "--log-driver", "--log-opt", "--stop-signal"]);
function parseRun(args) {
  const opts = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("-")) break;
    if (RUN_VALUE_FLAGS.has(a)) {
      opts.push([a, args[++i]]);
    } else if (a.includes("=")) {
      opts.push([a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]);
    } else opts.push([a, true]);
  }
  return [opts, args[i], args.slice(i + 1)];
}

async function run(args) {
  const [opts, img, cmd] = parseRun(args);
  const labels = {};
  for (const [k, v] of opts) if (k === "-l" || k === "--label") labels[v.slice(0, v.indexOf("="))] = v.slice(v.indexOf("=") + 1);
  const env = opts.filter(([k]) => k === "-e" || k === "--env").map(([, v]) => v);
  const mounts = opts.filter(([k]) => k === "--mount" || k === "-v" || k === "--volume").map(([, v]) => v);
  const id = sha("container:" + JSON.stringify(args) + ":" + process.pid + ":" + Date.now());
  const base = load("images", img) ?? image(img);
  const userOpt = opts.find(([k]) => k === "-u" || k === "--user")?.[1];
  const container = {
    Id: id,
    Created: new Date().toISOString(),
    Path: cmd[0] ?? "bash",
    Args: cmd.slice(1),
    State: { Status: "running", Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 4242, ExitCode: 0, Error: "", StartedAt: new Date().toISOString(), FinishedAt: "0001-01-01T00:00:00Z" },
    Image: base.Id,
    Name: "/stand_in_" + id.slice(0, 8),
    Platform: "linux",
    HostConfig: {},
    Mounts: mounts.map((m) => {
      const kv = Object.fromEntries(m.split(",").map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
      return { Type: kv.type ?? "bind", Source: kv.source ?? kv.src ?? "", Destination: kv.target ?? kv.dst ?? kv.destination ?? "", Mode: "", RW: true, Propagation: "rprivate" };
    }),
    Config: {
      Hostname: id.slice(0, 12),
      User: userOpt ?? base.Config.User ?? "",
      Env: [...env, ...base.Config.Env],
      Cmd: cmd,
      Image: img,
      WorkingDir: base.Config.WorkingDir,
      Entrypoint: opts.find(([k]) => k === "--entrypoint")?.[1] ? [opts.find(([k]) => k === "--entrypoint")[1]] : null,
      Labels: { ...base.Config.Labels, ...labels },
    },
    NetworkSettings: { Ports: {} },
    StandIn: { startReported: false },
  };
  save("containers", id, container);
  if (!opts.some(([k]) => k === "-d" || k === "--detach")) {
    // Attached, like the CLI runs it: print what the container's command prints, then stay up as the
    // container would, until the process that started us goes away (it does not kill us itself).
    out("Container started\n");
    const parent = process.ppid;
    for (let waited = 0; waited < 120_000; waited += 100) {
      await sleep(100);
      if (process.ppid !== parent) break;
      try {
        process.kill(parent, 0);
      } catch {
        break;
      }
    }
    return 0;
  }
  out(id + "\n");
  return 0;
}

async function events(args) {
  // `docker events --format {{json .}} --filter event=start`: report each container start, until
  // we are terminated. The CLI starts this just before `docker run`, but both are processes starting
  // at once and either may get going first; so rather than "starts after now", a start is
  // reported once, by whichever events call sees it first (a container records whether it was).
  const parent = process.ppid;
  for (let waited = 0; waited < 120_000; waited += 50) {
    for (const c of all("containers")) {
      if (c.StandIn?.startReported || !c.State.Running) continue;
      save("containers", c.Id, { ...c, StandIn: { ...c.StandIn, startReported: true } });
      const now = Date.now();
      out(JSON.stringify({ status: "start", id: c.Id, from: c.Config.Image, Type: "container", Action: "start", Actor: { ID: c.Id, Attributes: { ...c.Config.Labels, image: c.Config.Image, name: c.Name.slice(1) } }, scope: "local", time: Math.floor(now / 1000), timeNano: now * 1e6 }) + "\n");
    }
    await sleep(50);
    if (process.ppid !== parent) break;
  }
  return 0;
}

// The Dev Containers CLI drives a "shell server" in the container: `docker exec -i … /bin/sh`, to whose
// stdin it writes, per command, `echo -n ␄; ( CMD ); echo -n ␄$?␄; echo -n ␄ >&2` and whose output it
// splits at the ␄ marks. This answers each CMD from shell() below without running anything.
const EOT = "\u2404";
const SHELL_SERVER_COMMAND = new RegExp(`echo -n ${EOT}; \\( ([\\s\\S]*?) \\); echo -n ${EOT}\\$\\?${EOT}; echo -n ${EOT} >&2\\n`);

function passwd(container) {
  const img = all("images").find((i) => i.Id === container?.Image);
  const uid = img?.StandIn?.uid ?? IMAGE_UID;
  const gid = img?.StandIn?.gid ?? IMAGE_UID;
  return `root:x:0:0:root:/root:/bin/bash\n${REMOTE_USER}:x:${uid}:${gid}::/home/${REMOTE_USER}:/bin/bash\n`;
}

const OS_RELEASE = 'PRETTY_NAME="Ubuntu 22.04.5 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION="22.04.5 LTS (Jammy Jellyfish)"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\n';

/** What CMD prints and exits with "in" the container. */
function shell(cmd, container, user) {
  const envList = container?.Config.Env ?? [];
  const wrapped = /^echo -n (\S+); ([\s\S]*); echo -n \1$/.exec(cmd.trim());
  if (wrapped) {
    const inner = shell(wrapped[2], container, user);
    return { ...inner, stdout: wrapped[1] + inner.stdout + wrapped[1] };
  }
  const c = cmd.trim();
  if (c === "gpu-check") return { stdout: "OK   stand-in: no GPU here, nothing was run\n", code: 0 };
  if (c === "uname -m") return { stdout: "x86_64\n", code: 0 };
  if (c === "cat /proc/self/environ") return { stdout: envList.map((e) => e + "\0").join(""), code: 0 };
  if (c === "printenv") return { stdout: envList.map((e) => e + "\n").join(""), code: 0 };
  if (c === "cat /etc/passwd") return { stdout: passwd(container), code: 0 };
  if (c.startsWith("(cat /etc/os-release")) return { stdout: OS_RELEASE, code: 0 };
  const getent = /getent passwd '([^']+)'/.exec(c);
  if (getent) {
    const line = passwd(container).split("\n").find((l) => l.startsWith(getent[1] + ":") || l.split(":")[2] === getent[1]);
    return { stdout: line ? line + "\n" : "", code: 0 };
  }
  // Marker files of a fresh container do not exist yet.
  if (/^test -[fe] '[^']*'$/.test(c)) return { stdout: "", code: 1 };
  if (c === "id -u") return { stdout: (user === "root" ? 0 : IMAGE_UID) + "\n", code: 0 };
  return { stdout: "", code: 0 };
}

function containerFor(idOrName) {
  return all("containers").find((x) => x.Id === idOrName || x.Id.startsWith(idOrName) || x.Name === "/" + idOrName);
}

async function exec(args) {
  // docker exec [-i] [-t] [-u USER] [-e K=V]... [-w DIR] CONTAINER CMD...
  let i = 0;
  let user = REMOTE_USER;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "-u" || a === "--user") user = args[++i];
    else if (["-e", "--env", "-w", "--workdir"].includes(a)) i++;
    else if (!a.startsWith("-")) break;
  }
  const container = containerFor(args[i]);
  if (!container) {
    err(`Error response from daemon: No such container: ${args[i]}\n`);
    return 1;
  }
  const cmd = args.slice(i + 1);
  if (cmd.length === 1 && cmd[0] === "/bin/sh") {
    // Shell server: answer each framed command as it arrives, until stdin closes or we are killed.
    let buf = "";
    const parent = process.ppid;
    const watch = setInterval(() => process.ppid !== parent && process.exit(0), 200);
    await new Promise((resolve) => {
      process.stdin.setEncoding("utf8");
      process.stdin.on("data", (chunk) => {
        buf += chunk;
        for (let m = SHELL_SERVER_COMMAND.exec(buf); m; m = SHELL_SERVER_COMMAND.exec(buf)) {
          buf = buf.slice(m.index + m[0].length);
          const r = shell(m[1], container, user);
          appendFileSync(LOG, JSON.stringify({ shell: m[1], user }) + "\n");
          out(`${EOT}${r.stdout}${EOT}${r.code}${EOT}`);
          err(`${r.stderr ?? ""}${EOT}`);
        }
      });
      process.stdin.on("end", resolve);
      process.stdin.on("error", resolve);
    });
    clearInterval(watch);
    return 0;
  }
  // One command, e.g. [shell, "-lic", "echo -n UUID; cat /proc/self/environ; echo -n UUID"].
  const script = cmd.length >= 3 && /^-\w*c$/.test(cmd[1]) ? cmd.slice(2).join(" ") : cmd.join(" ");
  const r = shell(script, container, user);
  out(r.stdout);
  if (r.stderr) err(r.stderr);
  return r.code;
}

async function main() {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "version":
    case "-v":
    case "--version": {
      const fmt = flagValue(rest, "-f", "--format");
      const data = { Client: { Version: SERVER_VERSION, ApiVersion: "1.47", Os: "linux", Arch: "amd64" }, Server: { Version: SERVER_VERSION, ApiVersion: "1.47", Os: "linux", Arch: "amd64" } };
      if (cmd !== "version") out(`Docker version ${SERVER_VERSION}, build stand-in\n`);
      else if (fmt) out(template(fmt, data) + "\n");
      else out(`Client:\n Version:           ${SERVER_VERSION}\n API version:       1.47\n\nServer:\n Engine:\n  Version:          ${SERVER_VERSION}\n  API version:      1.47 (minimum version 1.24)\n`);
      return 0;
    }
    case "info": {
      const fmt = flagValue(rest, "-f", "--format");
      if (fmt) out(template(fmt, INFO) + "\n");
      else out(`Server Version: ${SERVER_VERSION}\nRuntimes: ${Object.keys(INFO.Runtimes).join(" ")}\nDefault Runtime: runc\n`);
      return 0;
    }
    case "buildx": {
      const [sub, ...more] = rest;
      if (sub === "version") {
        out(`github.com/docker/buildx ${BUILDX_VERSION} 0000000000000000000000000000000000000000\n`);
        return 0;
      }
      if (sub === "build") return build(more);
      err(`stand-in docker: unsupported buildx ${sub}\n`);
      return 1;
    }
    case "build":
      return build(rest);
    case "image":
      if (rest[0] === "inspect") return inspect(["--type", "image", ...rest.slice(1)]);
      break;
    case "container":
      if (rest[0] === "inspect") return inspect(["--type", "container", ...rest.slice(1)]);
      break;
    case "inspect":
      return inspect(rest);
    case "tag": {
      const src = load("images", rest[0]) ?? image(rest[0]);
      save("images", rest[1], { ...src, RepoTags: [rest[1]] });
      return 0;
    }
    case "pull":
      out(`${rest.at(-1)}: Pulled (stand-in)\n`);
      return 0;
    case "ps":
      return ps(rest);
    case "run":
      return run(rest);
    case "events":
      return events(rest);
    case "exec":
      return exec(rest);
    case "start":
    case "stop":
    case "rm":
    case "kill":
      out(rest.filter((a) => !a.startsWith("-")).join("\n") + "\n");
      return 0;
  }
  err(`stand-in docker: unsupported command: ${argv.join(" ")}\n`);
  return 1;
}

main().then((code) => process.exit(code), (e) => {
  err(`stand-in docker: ${e && e.stack ? e.stack : e}\n`);
  process.exit(125);
});

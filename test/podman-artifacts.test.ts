// --engine podman: compose and the Dev Container ask for GPUs as CDI devices (nvidia.com/gpu=…),
// the way Podman honours them, and the default (docker) output is unchanged.
//
// podman-compose (containers/podman-compose, podman_compose.py): a service's `devices:` entries
// become `podman run --device <entry>` in every version. deploy.resources.reservations.devices is
// ignored before 1.2.0 (Debian 12 and EPEL ship 1.0.x: the GPU request is silently dropped, checked
// below); from 1.2.0 (commit 79865c2, container_to_gpu_res_args) a driver: nvidia entry is mapped to
// `--device nvidia.com/gpu=…` but `--security-opt=label=disable` is appended too. So the Podman files
// use `devices:` only, which keeps SELinux separation on.
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { parse as parseJsonc } from "jsonc-parser";
import { file, renderFor, refused, request } from "./support/render.js";
import { hasShared } from "./support/shared.js";
import { composeProblems, devcontainerProblems } from "./support/validators.js";
import { gpuRequests, hasDevcontainerCli, runCalls, runDevcontainer, writeProject } from "./support/devcontainer-cli.js";
import { rawFromLock } from "../src/request/request-options.js";
import { parseRequest } from "../src/request/parse-request.js";
import { matrix } from "../src/matrix/data.js";
import { fillTool, tool } from "../src/matrix/lookup.js";
import { compare } from "../src/matrix/versions.js";

const SPECS = ["torch@2.5.1"];
const CASES = [
  { gpus: "all", devices: ["nvidia.com/gpu=all"] },
  { gpus: "2", devices: ["nvidia.com/gpu=0", "nvidia.com/gpu=1"] },
  { gpus: "0,GPU-0123abcd-4567", devices: ["nvidia.com/gpu=0", "nvidia.com/gpu=GPU-0123abcd-4567"] },
  { gpus: "none", devices: [] as string[] },
];
const cleanup: string[] = [];
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

type Service = { devices?: string[]; deploy?: unknown; security_opt?: string[]; volumes?: string[]; userns_mode?: string };
const services = (text: string) => (parseYaml(text) as { services: Record<string, Service> }).services;
/**
 * The podman-compose the userns check runs: CS_PODMAN_COMPOSE names another one (`python3 PATH/podman_compose.py`
 * of another release), else the installed one. Its version (1.0.3 prints `podman-composer version  1.0.3`),
 * and --verbose where it has it: from 1.1.0 --dry-run logs the podman commands (INFO:…) only then.
 */
const PODMAN_COMPOSE = (process.env.CS_PODMAN_COMPOSE ?? "podman-compose").split(" ");
const podmanCompose = (args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) =>
  spawnSync(PODMAN_COMPOSE[0]!, [...PODMAN_COMPOSE.slice(1), ...args], { encoding: "utf8", cwd: opts.cwd, env: { ...process.env, ...opts.env } });
const podmanComposeVersion = /^podman-composer? version:?\s+v?(\d+(?:\.\d+)+)/m.exec(podmanCompose(["version"]).stdout ?? "")?.[1] ?? null;
const podmanComposeVerbose = /--verbose/.test(podmanCompose(["--help"]).stdout ?? "") ? ["--verbose"] : [];

// SELinux and the user namespace (matrix/platform.yaml podmanBindRelabel, podmanUsernsMode and the
// version rows): the project folder is relabelled with the shared label, and the host user is the
// images' user, rootless too. podman-compose passes userns_mode on from 1.0.6, outside a pod.
const RELABEL = tool(matrix, "podmanBindRelabel");
const USERNS = (uid: string, gid: string) => fillTool(matrix, "podmanUsernsMode", { UID: uid, GID: gid });
const PASSES_USERNS = podmanComposeVersion !== null && compare(podmanComposeVersion, tool(matrix, "podmanComposeUsernsModeSince")) >= 0;
const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: "utf8" }).status === 0;
const hasPodmanCompose = has("podman-compose", ["version"]);
const hasDockerCompose1 = /^1\./.test(spawnSync("docker-compose", ["version", "--short"], { encoding: "utf8" }).stdout ?? "");

function projectDir(gpus: string, engine?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "cs-podman-"));
  cleanup.push(dir);
  const { files } = renderFor(SPECS, { gpus, ...(engine ? { engine } : {}) });
  for (const f of ["docker-compose.yml", "Dockerfile"]) writeFileSync(join(dir, f), file(files, f));
  return dir;
}

describe("--engine", () => {
  it("docker (given or left out) renders exactly the default files, and records no engine", () => {
    const plain = renderFor(SPECS).files;
    const docker = renderFor(SPECS, { engine: "docker" }).files;
    expect(docker).toEqual(plain);
    expect(request(SPECS, { engine: "docker" }).engine).toBeUndefined();
  });

  // dockerd labels no container unless --selinux-enabled (off by default, and the Docker host script
  // leaves it off) and maps no user ids unless userns-remap: the Docker file needs neither option.
  it("docker's compose file has no relabel, no userns_mode and no x-podman", () => {
    const compose = file(renderFor(SPECS).files, "docker-compose.yml");
    for (const [name, service] of Object.entries(services(compose))) {
      expect(service.volumes, name).toContain(".:/workspace");
      expect(service.userns_mode, name).toBeUndefined();
    }
    expect(compose).not.toContain("x-podman");
  });

  it("an unknown engine is refused", () => {
    const problems = refused(SPECS, { engine: "containerd" });
    expect(problems.map((p) => p.message).join("\n")).toMatch(/--engine "containerd" is not a container engine/);
  });

  it("podman is recorded in the request and read back from the lock", () => {
    const req = request(SPECS, { engine: "podman" });
    expect(req.engine).toBe("podman");
    const again = parseRequest(rawFromLock(JSON.parse(JSON.stringify(req)), "/tmp/demo"), matrix);
    expect(again.engine).toBe("podman");
    const lock = JSON.parse(file(renderFor(SPECS, { engine: "podman" }).files, "cuda-scaffold.lock.json"));
    expect(lock.request.engine).toBe("podman");
  });
});

// Golden files for the Podman variants (the host script's are written by test/host/bootstrap-podman.test.ts).
describe("--engine podman golden files", () => {
  it.each(["all", "2"])("--gpus %s: compose and Dev Container", async (gpus) => {
    const { files } = renderFor(SPECS, { gpus, engine: "podman" });
    for (const path of ["docker-compose.yml", ".devcontainer/devcontainer.json"]) {
      await expect(file(files, path)).toMatchFileSnapshot(`../fixtures/golden-podman/torch-2.5.1-gpus-${gpus}/${path}`);
    }
  });
});

describe.each(CASES)("--engine podman --gpus $gpus", ({ gpus, devices }) => {
  const { files } = renderFor(SPECS, { gpus, engine: "podman" });
  const compose = file(files, "docker-compose.yml");
  const devcontainer = file(files, ".devcontainer/devcontainer.json");

  it("compose: CDI devices on dev and app, no deploy reservation, no label=disable", () => {
    const s = services(compose);
    for (const name of ["dev", "app"]) {
      expect(s[name]!.devices ?? [], name).toEqual(devices);
      expect(s[name]!.deploy, name).toBeUndefined();
    }
    expect(compose.replace(/^\s*#.*$/gm, "")).not.toMatch(/label=disable|label:disable/);
    if (s["dev-cpu"]) expect(s["dev-cpu"].devices).toBeUndefined();
  });

  it("compose: the project folder relabelled (:z) and the host user mapped to the images' user, on every service; no pod", () => {
    const s = services(compose);
    expect(Object.keys(s).sort()).toEqual(gpus === "none" ? ["app", "dev"] : ["app", "dev", "dev-cpu"]);
    for (const [name, service] of Object.entries(s)) {
      expect(service.volumes, name).toContain(`.:/workspace:${RELABEL}`);
      expect(service.volumes!.filter((v) => v.startsWith(".:")), name).toHaveLength(1);
      expect(service.userns_mode, name).toBe(USERNS("${USER_UID:-1000}", "${USER_GID:-1000}"));
    }
    expect((parseYaml(compose) as Record<string, unknown>)["x-podman"]).toEqual({ in_pod: false });
    // The folder is shared by the services: a private label (:Z) would lock out the one already running.
    expect(RELABEL).toBe("z");
  });

  it("compose: the volume an earlier file made as a subordinate id is named exactly, as Compose names it (<project>_<volume>)", () => {
    const doc = parseYaml(compose) as { name: string; volumes: Record<string, unknown> };
    const cache = Object.keys(doc.volumes).find((v) => /cache/.test(v));
    expect(cache).toBeDefined();
    expect(compose).toContain(`\n#   podman volume rm ${doc.name}_${cache}\n`);
  });

  it.skipIf(!hasShared)("compose validates against the Compose Specification", () => {
    expect(composeProblems(compose)).toEqual([]);
  });

  it("Dev Container: runArgs carry the CDI devices, no hostRequirements.gpu, no label=disable", () => {
    const json = parseJsonc(devcontainer) as { runArgs: string[]; hostRequirements?: unknown };
    expect(json.hostRequirements).toBeUndefined();
    expect(json.runArgs.filter((_, i) => json.runArgs[i - 1] === "--device")).toEqual(devices);
    expect(json.runArgs.some((a) => a.startsWith("--gpus"))).toBe(false);
    // The CLI adds label=disable itself on Podman (matrix/platform.yaml devcontainersCliPodmanArgs, which
    // the comment names); the file asks for nothing of the kind.
    expect(devcontainer.replace(/^\s*\/\/.*$/gm, "")).not.toMatch(/label=disable|userns/);
    if (hasShared) expect(devcontainerProblems(devcontainer)).toEqual([]);
  });

  it("the Dockerfile is the Docker one, but for the header's regenerate command and seal", () => {
    const body = (text: string) => text.split("\n").filter((l) => !/^# (Regenerate|cuda-scaffold-sha256)/.test(l)).join("\n");
    expect(body(file(files, "Dockerfile"))).toBe(body(file(renderFor(SPECS, { gpus }).files, "Dockerfile")));
    expect(file(files, "Dockerfile")).toContain("--engine podman");
  });

  it.skipIf(!hasPodmanCompose)("podman-compose parses it offline and passes the CDI devices to podman run", () => {
    const dir = projectDir(gpus, "podman");
    // Debian 12's podman-compose 1.0.3 has no `config`; --dry-run parses the file and prints the podman commands, running none.
    const dry = spawnSync("podman-compose", ["-f", join(dir, "docker-compose.yml"), "--dry-run", "up", "-d", "dev"], { cwd: dir, encoding: "utf8" });
    expect(dry.status, dry.stderr).toBe(0);
    const run = dry.stdout.split("\n").find((l) => l.startsWith("podman run ") && l.includes("_dev_1"));
    expect(run, dry.stdout).toBeDefined();
    expect([...run!.matchAll(/--device (\S+)/g)].map((m) => m[1])).toEqual(devices);
    expect(run).not.toMatch(/label=disable/);
  });

  // Podman's troubleshooting item 2: under enforcing SELinux the folder needs :z, and in rootless
  // Podman the images' user is a subordinate id unless --userns keep-id maps the host user to it.
  it.skipIf(podmanComposeVersion === null)("podman-compose mounts the project folder with :z, and passes userns_mode on outside a pod (1.0.6 and later)", () => {
    const dir = projectDir(gpus, "podman");
    const up = (service: string, env: Record<string, string> = {}) => {
      const dry = podmanCompose([...podmanComposeVerbose, "-f", join(dir, "docker-compose.yml"), "--dry-run", "up", "-d", service], { cwd: dir, env });
      expect(dry.status, dry.stderr).toBe(0);
      const lines = `${dry.stdout}\n${dry.stderr}`.split("\n").map((l) => l.replace(/^INFO:__main__:/, ""));
      expect(lines.filter((l) => l.startsWith("podman pod create")), `podman-compose ${podmanComposeVersion}`).toEqual([]);
      const run = lines.find((l) => /^podman (run|create) /.test(l) && l.includes(`_${service}_1`));
      expect(run, dry.stdout + dry.stderr).toBeDefined();
      return run!;
    };
    for (const service of ["dev", "app"]) {
      const run = up(service);
      expect(run.split(" ")).toContain(`${dir}:/workspace:${RELABEL}`);
      if (PASSES_USERNS) {
        expect(run).toContain(` --userns ${USERNS("1000", "1000")} `);
        expect(run).not.toMatch(/--pod[= ]/);
      } else expect(run, `podman-compose ${podmanComposeVersion} ignores userns_mode (the file's comment names PODMAN_USERNS for it)`).not.toContain("--userns");
    }
    if (PASSES_USERNS) expect(up("dev", { USER_UID: "1234", USER_GID: "1234" })).toContain(` --userns ${USERNS("1234", "1234")} `);
  });

  // Debian 12's podman-compose 1.0.3 leaves `${X:-}` (an empty default) unexpanded, so a build would
  // take the literal text for an OS mirror; the file gives such an argument no value instead.
  it.skipIf(!hasPodmanCompose)("podman-compose builds with every build argument expanded, from the one anchored block", () => {
    const dir = projectDir(gpus, "podman");
    for (const service of ["dev", "app"]) {
      const dry = spawnSync("podman-compose", ["-f", join(dir, "docker-compose.yml"), "--dry-run", "build", service], { cwd: dir, encoding: "utf8" });
      expect(dry.status, dry.stderr).toBe(0);
      const build = dry.stdout.split("\n").find((l) => l.startsWith("podman build "));
      expect(build, dry.stdout).toContain("--build-arg USER_UID=1000");
      expect(build).toContain("--build-arg PIP_INDEX_URL=");
      expect(build).not.toContain("${");
    }
  });

  // docker-compose 1.29 predates the Compose Specification's top-level `name` (the Docker files have
  // it too): it refuses that key alone, so the file is checked without that one line.
  it.skipIf(!hasDockerCompose1)("docker-compose 1.29 parses it offline (its top-level name aside)", () => {
    const dir = projectDir(gpus, "podman");
    const path = join(dir, "docker-compose.yml");
    const text = readFileSync(path, "utf8");
    expect(text.match(/^name: .*$/gm)).toHaveLength(1);
    writeFileSync(path, text.replace(/^name: .*\n/m, ""));
    const r = spawnSync("docker-compose", ["-f", join(dir, "docker-compose.yml"), "config"], { cwd: dir, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(services(r.stdout)["dev"]!.devices ?? []).toEqual(devices);
  });
});

describe.skipIf(!hasPodmanCompose)("why not the Docker file under podman-compose", () => {
  it("the installed podman-compose drops deploy.resources.reservations.devices (no --device), or maps it with label=disable", () => {
    const dir = projectDir("all");
    const dry = spawnSync("podman-compose", ["-f", join(dir, "docker-compose.yml"), "--dry-run", "up", "-d", "dev"], { cwd: dir, encoding: "utf8" });
    expect(dry.status, dry.stderr).toBe(0);
    const run = dry.stdout.split("\n").find((l) => l.startsWith("podman run ") && l.includes("_dev_1"))!;
    expect(run).toBeDefined();
    if (/--device nvidia\.com\/gpu=/.test(run)) expect(run).toMatch(/label=disable/);
    else expect(run).not.toMatch(/--device/);
  });
});

describe.skipIf(!hasDevcontainerCli)("Dev Containers CLI on the Podman devcontainer.json (stand-in engine)", () => {
  it.each([true, false])("devcontainer up (nvidia runtime listed: %s): one CDI device request, no --gpus", async (nvidiaRuntime) => {
    const { files } = renderFor(SPECS, { gpus: "all", engine: "podman" });
    const workspace = writeProject(files);
    cleanup.push(workspace);
    const r = await runDevcontainer({ command: "up", workspace, nvidiaRuntime });
    cleanup.push(r.dir);
    expect(r.result?.outcome, r.log.slice(-2000)).toBe("success");
    const runs = runCalls(r.calls);
    expect(runs).toHaveLength(1);
    const requests = gpuRequests(runs[0]!.argv);
    expect(requests.map((q) => q.given)).toEqual(["--device nvidia.com/gpu=all"]);
  }, 120_000);
});

// Every endpoint the output fetches from is a parameter with the public default (or, with
// --mirror, the mirror's): a Dockerfile ARG used through `${NAME:-default}`, passed through by
// compose and the Dev Container, so a build argument or a compose .env switches it without editing
// a generated file. The shell that rewrites the package sources runs here against fake images.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parse as parseJsonc } from "jsonc-parser";
import { matrix } from "../src/matrix/data.js";
import { tool } from "../src/matrix/lookup.js";
import type { RawRequest } from "../src/request/parse-request.js";
import { file, renderFor } from "./support/render.js";
import { runSteps } from "./support/dockerfile.js";
import { runStep } from "./support/run-step.js";
import { goldenCases, sweepCases } from "./support/cases.js";
import { hasShared } from "./support/shared.js";
import { cli, tempDir } from "./support/cli.js";
import { composeProblems, devcontainerProblems, dockerfileProblems, hasShellcheck, shellcheckProblems } from "./support/validators.js";

const CN: Partial<RawRequest> = { mirror: { kind: "preset", name: "cn" } };
const cn = matrix.mirrors.presets.cn!;
const cnUrl = (id: string) => (cn.mirrors[id] as { url: string }).url;
const publicHosts = matrix.mirrors.endpoints.map((e) => e.upstream.replace(/^https?:\/\//, "").split("/")[0]!);

/** Global ARG lines (before the first FROM): name -> default. */
function globalArgs(dockerfile: string): Map<string, string> {
  const head = dockerfile.slice(0, dockerfile.search(/^FROM /m));
  const sources = new Set(matrix.mirrors.endpoints.map((e) => e.arg));
  return new Map([...head.matchAll(/^ARG ([A-Z_]+)=(.*)$/gm)].filter((m) => sources.has(m[1]!)).map((m) => [m[1]!, m[2]!]));
}

/** The Dockerfile without comments, the ARG block, the `${NAME:-default}` expansions and sed patterns. */
function literalRest(dockerfile: string): string {
  const heredocs = dockerfile.replace(/<<"GPU_CHECK"[\s\S]*?\nGPU_CHECK\n/, "");
  return heredocs
    .split("\n")
    .filter((l) => !/^\s*#/.test(l) && !/^ARG /.test(l))
    .join("\n")
    .replace(/\$\{[A-Z_]+:-[^}]*\}/g, "")
    .replace(/"s#[^#]*#/g, '"s#')
    .replace(/'s\|\^#\\\?baseurl=[^|]*\|/g, "");
}

const withMirror = [...goldenCases(), ...sweepCases().slice(0, 12)].flatMap((c) => {
  try {
    return [{ ...c, files: renderFor(c.specs, c.opts).files }];
  } catch {
    return [];
  }
});

describe("the default output: every source a build argument with the public default", () => {
  it.each(withMirror.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const docker = file(c.files, "Dockerfile");
    const args = globalArgs(docker);
    // Only public defaults.
    for (const e of matrix.mirrors.endpoints) if (e.arg && args.has(e.arg) && e.id !== "ghcr") expect(args.get(e.arg), e.arg).toBe(e.default);
    expect(args.get("UV_IMAGE") ?? tool(matrix, "uvImage")).toBe(tool(matrix, "uvImage"));
    // No URL outside a build argument.
    expect(literalRest(docker)).not.toMatch(/https?:\/\/[a-z]/);
    // Each expansion's default is its ARG's, and each argument a stage uses is declared in it.
    for (const m of docker.matchAll(/\$\{([A-Z_]+):-([^}]*)\}/g)) {
      if (!args.has(m[1]!)) continue;
      expect(m[2], m[1]).toBe(args.get(m[1]!));
    }
    for (const stage of docker.split(/^(?=FROM )/m).slice(1)) {
      const declared = new Set([...stage.matchAll(/^ARG ([A-Z_]+)/gm)].map((m) => m[1]!));
      const body = stage.split("\n").slice(1).join("\n");
      for (const m of body.matchAll(/\$\{([A-Z_]+):-/g)) if (args.has(m[1]!)) expect(declared.has(m[1]!), `${m[1]} in stage ${stage.split("\n")[0]}`).toBe(true);
    }
    // Every FROM is a stage, the uv image, or a Docker Hub image under DOCKER_HUB.
    for (const m of docker.matchAll(/^FROM (\S+)/gm)) expect(m[1]).toMatch(/^(base|\$\{DOCKER_HUB:-docker\.io\}\/[a-z0-9._/-]+:[A-Za-z0-9._-]+|\$\{UV_IMAGE:-[^}]+\})$/);
    // compose passes every one through with the same default (one empty by default has no value, so the
    // client takes it from the environment or .env: podman-compose before 1.0.6 leaves `${X:-}` unexpanded);
    // the Dev Container from the environment. Every service refers to the one anchored block.
    const compose = parseYaml(file(c.files, "docker-compose.yml")) as { services: Record<string, { build: { args: Record<string, string | null> } }> };
    expect(file(c.files, "docker-compose.yml").match(/^ {6}args: \*build-args$/gm)?.length).toBe(Object.keys(compose.services).length);
    for (const service of Object.values(compose.services)) {
      for (const [name, value] of args) expect(service.build.args[name], `${name} in compose`).toBe(value === "" ? null : `\${${name}:-${value}}`);
      expect(service.build.args.BUILDKIT_SYNTAX).toBe(`\${BUILDKIT_SYNTAX:-${tool(matrix, "dockerfileSyntax")}}`);
    }
    const devcontainer = parseJsonc(file(c.files, ".devcontainer/devcontainer.json")) as { build: { args: Record<string, string> } };
    expect(Object.keys(devcontainer.build.args)).toEqual([...args.keys()]);
    for (const name of args.keys()) expect(devcontainer.build.args[name]).toBe(`\${localEnv:${name}}`);
  });
});

describe("--mirror cn: every endpoint a mirror from the data", () => {
  const { files } = renderFor(["torch@2.5.1"], CN);
  const docker = file(files, "Dockerfile");

  it("torch@2.5.1 --mirror cn matches its golden files", async () => {
    for (const f of files) await expect(f.content).toMatchFileSnapshot(`../fixtures/golden-mirror/torch-2.5.1-cn/${f.path}`);
  });

  it("the Dockerfile's defaults are the cn mirrors, and no public host is left in a line that runs", () => {
    const args = globalArgs(docker);
    expect(Object.fromEntries(args)).toEqual({
      DOCKER_HUB: cnUrl("docker-hub"),
      PIP_INDEX_URL: cnUrl("pypi"),
      PYTORCH_WHEELS: cnUrl("pytorch"),
      UV_PYTHON_INSTALL_MIRROR: cnUrl("python-builds"),
      UBUNTU_MIRROR: cnUrl("ubuntu"),
      CUDA_REPO_BASE: cnUrl("cuda-repo"),
    });
    expect(docker.split("\n")[0]).toBe(`# syntax=${cnUrl("docker-hub")}/${tool(matrix, "dockerfileSyntax")}`);
    // ghcr.io has no trustworthy mirror: uv comes from the package index (its mirror).
    expect(docker).toMatch(new RegExp(`^FROM \\$\\{DOCKER_HUB:-${cnUrl("docker-hub").replace(/\./g, "\\.")}\\}/library/python:[0-9.]+-slim AS uv$`, "m"));
    const running = docker.split("\n").filter((l) => !/^\s*#/.test(l) && !/^\s+-e "s#/.test(l)).join("\n").replace(/"s#[^#]*#/g, "");
    expect(running).not.toContain("ghcr.io");
    for (const host of publicHosts) expect(running, host).not.toContain(host);
  });

  it("compose, the Dev Container and the host script use the same mirrors", () => {
    const compose = file(files, "docker-compose.yml");
    expect(compose).toContain(`PIP_INDEX_URL: "\${PIP_INDEX_URL:-${cnUrl("pypi")}}"`);
    expect(compose).toContain(`BUILDKIT_SYNTAX: "\${BUILDKIT_SYNTAX:-${cnUrl("docker-hub")}/${tool(matrix, "dockerfileSyntax")}}"`);
    const host = file(files, "host/bootstrap-oraclelinux.sh");
    expect(host).toContain(`\nDOCKER_REPO='${cnUrl("docker-ce")}'\n`);
    expect(host).toContain(`\nTOOLKIT_REPO='${cnUrl("container-toolkit")}'\n`);
    expect(host).toContain(`\nCUDA_REPO_BASE='${cnUrl("cuda-repo")}'\n`);
    expect(host).toContain(`\nREGISTRY_MIRRORS=(${cn.registryMirrors!.map((r) => `'${r.url}'`).join(" ")})\n`);
    expect(host).toContain("Regenerate (in the project root): npx cuda-scaffold@0.0.0-test torch@2.5.1 --mirror cn --name demo");
  });

  it("lints clean, validates and passes shellcheck", () => {
    expect(dockerfileProblems(docker)).toEqual([]);
    if (hasShared) {
      expect(composeProblems(file(files, "docker-compose.yml"))).toEqual([]);
      expect(devcontainerProblems(file(files, ".devcontainer/devcontainer.json"))).toEqual([]);
    }
    if (hasShellcheck) expect(shellcheckProblems(file(files, "host/bootstrap-oraclelinux.sh"))).toEqual([]);
    expect(spawnSync("bash", ["-n"], { input: file(files, "host/bootstrap-oraclelinux.sh") }).status).toBe(0);
  });

  it("the lock records the choice", () => {
    const lock = JSON.parse(file(files, "cuda-scaffold.lock.json")) as { request: { mirror: { kind: string; source: string; endpoints: Record<string, string>; uv: string } } };
    expect(lock.request.mirror).toMatchObject({ kind: "preset", source: "cn", uv: "index" });
    expect(lock.request.mirror.endpoints.pypi).toBe(cnUrl("pypi"));
  });
});

describe("--mirror cn on every golden stack", () => {
  it.each(goldenCases().map((c) => [c.name, c] as const))("%s: each default is the cn mirror, or the public one where cn has none; lints clean", (_name, c) => {
    const docker = file(renderFor(c.specs, { ...c.opts, ...CN }).files, "Dockerfile");
    expect(dockerfileProblems(docker)).toEqual([]);
    for (const [name, value] of globalArgs(docker)) {
      const e = matrix.mirrors.endpoints.find((x) => x.arg === name)!;
      const entry = cn.mirrors[e.id]!;
      expect(value, name).toBe("url" in entry ? entry.url : e.default);
    }
  });
});

describe("the Dockerfile frontend", () => {
  it("only features the engine's built-in frontend has (Docker Engine 25.0+), so it builds without line 1", () => {
    const { builtin, features } = matrix.mirrors.frontend;
    const known = new Map(features.map((f) => [f.feature, f.since]));
    for (const c of withMirror) {
      const docker = file(c.files, "Dockerfile");
      const used = new Set<string>();
      if (/--mount=type=cache/.test(docker)) used.add("RUN --mount=type=cache");
      if (/^COPY --chmod/m.test(docker)) used.add("COPY --chmod");
      if (/<<"[A-Z_]+"/.test(docker)) used.add("heredocs (COPY <<EOF)");
      if (/^ADD --checksum/m.test(docker)) used.add("ADD --checksum (HTTP sources)");
      for (const f of used) expect(Number(known.get(f))).toBeLessThanOrEqual(Number(builtin.dockerfile));
      // No other instruction flags than these (and --from/--chown/--target-less COPY flags known since 1.0).
      for (const m of docker.matchAll(/^(RUN|COPY|ADD) (--[a-z]+)/gm)) expect(["--mount", "--chmod", "--chown", "--checksum", "--from"], `${m[1]} ${m[2]}`).toContain(m[2]);
      // Dockerfile-level expansions: only ${NAME} and ${NAME:-word}, which every frontend has (1.6
      // added the forms without a colon, 1.7 ${NAME#…} and the like).
      const instructions = docker.split("\n").filter((l) => /^(FROM|ADD|COPY|ENV|ARG|USER|WORKDIR) /.test(l)).join("\n");
      for (const m of instructions.matchAll(/\$\{[A-Z_]+([^}A-Z_][^}]*)?\}/g)) expect(m[1] ?? ":-", m[0]).toMatch(/^:-/);
    }
  });

  it("a mirror file can leave the line out, or name its own frontend", () => {
    const dir = mkdtempSync(join(tmpdir(), "cs-fe-"));
    const builtin = join(dir, "builtin.yaml");
    writeFileSync(builtin, "extends: cn\ndockerfile-frontend: builtin\n");
    const own = join(dir, "own.yaml");
    writeFileSync(own, "dockerfile-frontend: harbor.example.com/dockerhub/docker/dockerfile:1.7\n");
    const read = (path: string) => ({ mirror: { kind: "file" as const, path, text: readFileSync(path, "utf8") } });
    const a = file(renderFor(["torch@2.5.1"], read(builtin)).files, "Dockerfile");
    expect(a.split("\n")[0]).toMatch(/^# Generated by cuda-scaffold/);
    expect(file(renderFor(["torch@2.5.1"], read(builtin)).files, "docker-compose.yml")).not.toContain("BUILDKIT_SYNTAX");
    expect(file(renderFor(["torch@2.5.1"], read(own)).files, "Dockerfile").split("\n")[0]).toBe("# syntax=harbor.example.com/dockerhub/docker/dockerfile:1.7");
  });
});

const SOURCES = "deb http://archive.ubuntu.com/ubuntu/ jammy main\ndeb http://security.ubuntu.com/ubuntu/ jammy-security main\n";
const CUDA_LIST = "deb [signed-by=/usr/share/keyrings/cuda-archive-keyring.gpg] https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2204/x86_64/ /\n";
const CUDA_LIST_PATH = "etc/apt/sources.list.d/cuda-ubuntu2204-x86_64.list";

function aptStep(specs: string[], opts: Partial<RawRequest> = {}) {
  return runSteps(file(renderFor(specs, opts).files, "Dockerfile")).find((s) => s.stage === "base" && s.shell.includes("apt-get update"))!.shell;
}

/** An Ubuntu image's sources (and NVIDIA's list) after the step. */
function sources(shell: string, env: Record<string, string>, ca = true) {
  const r = runStep(shell, { "etc/apt/sources.list": SOURCES, [CUDA_LIST_PATH]: CUDA_LIST }, env, { ca });
  return { ...r, list: r.read("etc/apt/sources.list"), cuda: r.read(CUDA_LIST_PATH) };
}

describe("the apt and dnf steps switch sources by build argument", () => {
  const base = aptStep(["torch@2.5.1"]);

  it("no argument, or an empty one (the Dev Container's unset variable): the image's own sources", () => {
    for (const env of [{}, { UBUNTU_MIRROR: "", CUDA_REPO_BASE: "" }] as Record<string, string>[]) {
      const r = sources(base, env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.list).toBe(SOURCES);
      expect(r.cuda).toBe(CUDA_LIST);
    }
  });

  it("UBUNTU_MIRROR and CUDA_REPO_BASE: archive, security and NVIDIA's repository on the mirrors", () => {
    const r = sources(base, { UBUNTU_MIRROR: "https://m.test/ubuntu", CUDA_REPO_BASE: "https://m.test/nvidia/cuda/repos" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.list).toBe("deb https://m.test/ubuntu/ jammy main\ndeb https://m.test/ubuntu/ jammy-security main\n");
    expect(r.cuda).toContain("https://m.test/nvidia/cuda/repos/ubuntu2204/x86_64/ /");
    expect(r.seen).toContain("https://m.test/ubuntu/ jammy main");
  });

  it("generated with --mirror cn: the mirrors by default, the public hosts when asked for", () => {
    const step = aptStep(["torch@2.5.1"], CN);
    const r = sources(step, {});
    expect(r.list).toContain(`deb ${cnUrl("ubuntu")}/ jammy-security main`);
    expect(r.cuda).toContain(`${cnUrl("cuda-repo")}/ubuntu2204/x86_64/`);
    const back = sources(step, { UBUNTU_MIRROR: "http://archive.ubuntu.com/ubuntu", CUDA_REPO_BASE: "https://developer.download.nvidia.com/compute/cuda/repos" });
    expect(back.cuda).toBe(CUDA_LIST);
    expect(back.list).toContain("deb http://archive.ubuntu.com/ubuntu/ jammy main");
  });

  it("a plain Ubuntu image (no CA certificates yet): ca-certificates over http from the mirror, https after", () => {
    const step = aptStep(["torch@1.9.0"], CN);
    expect(step).toContain('first="http://${ubuntu#*://}"');
    const r = sources(step, {}, false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.seen).toContain(`deb ${cnUrl("ubuntu").replace("https://", "http://")}/ jammy main`);
    expect(r.list).toBe(`deb ${cnUrl("ubuntu")}/ jammy main\ndeb ${cnUrl("ubuntu")}/ jammy-security main\n`);
  });

  it("Ubuntu 24.04's deb822 sources are rewritten as well", () => {
    const deb822 = "Types: deb\nURIs: http://archive.ubuntu.com/ubuntu/\nSuites: noble noble-updates\n\nTypes: deb\nURIs: http://security.ubuntu.com/ubuntu/\nSuites: noble-security\n";
    const r = runStep(base, { "etc/apt/sources.list.d/ubuntu.sources": deb822 }, { UBUNTU_MIRROR: "https://m.test/ubuntu" }, { ca: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.read("etc/apt/sources.list.d/ubuntu.sources")).toBe(deb822.replaceAll("http://archive.ubuntu.com/ubuntu", "https://m.test/ubuntu").replaceAll("http://security.ubuntu.com/ubuntu", "https://m.test/ubuntu"));
  });

  it("Rocky Linux: the mirror list off and the mirror's baseurl on; UBI: Red Hat's CDN swapped", () => {
    const rockyRepo = "[baseos]\nname=Rocky Linux $releasever - BaseOS\nmirrorlist=https://mirrors.rockylinux.org/mirrorlist?arch=$basearch&repo=BaseOS-$releasever$rltype\n#baseurl=http://dl.rockylinux.org/$contentdir/$releasever/BaseOS/$basearch/os/\ngpgcheck=1\n";
    const rockyStep = runSteps(file(renderFor(["cuda@12.4"], { os: "rockylinux9" }).files, "Dockerfile")).find((s) => s.stage === "base" && s.shell.includes("dnf install"))!.shell;
    const r = runStep(rockyStep, { "etc/yum.repos.d/rocky.repo": rockyRepo }, { ROCKY_MIRROR: "https://m.test/rocky" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.read("etc/yum.repos.d/rocky.repo")).toContain("#mirrorlist=https://mirrors.rockylinux.org/");
    expect(r.read("etc/yum.repos.d/rocky.repo")).toContain("\nbaseurl=https://m.test/rocky/$releasever/BaseOS/$basearch/os/\n");
    const untouched = runStep(rockyStep, { "etc/yum.repos.d/rocky.repo": rockyRepo }, {});
    expect(untouched.code).toBe(0);
    expect(untouched.read("etc/yum.repos.d/rocky.repo")).toBe(rockyRepo);

    const ubiRepo = "[ubi-9-baseos-rpms]\nbaseurl = https://cdn-ubi.redhat.com/content/public/ubi/dist/ubi9/9/$basearch/baseos/os\n";
    const ubiStep = runSteps(file(renderFor(["cuda@12.4"], { os: "ubi9", variant: "devel" }).files, "Dockerfile")).find((s) => s.stage === "base" && s.shell.includes("dnf install"))!.shell;
    const u = runStep(ubiStep, { "etc/yum.repos.d/ubi.repo": ubiRepo }, { UBI_MIRROR: "https://m.test/ubi" });
    expect(u.code, u.stderr).toBe(0);
    expect(u.read("etc/yum.repos.d/ubi.repo")).toContain("baseurl = https://m.test/ubi/ubi9/9/$basearch/baseos/os");
  });
});

describe("the CLI: generate, check, regenerate with mirrors", () => {
  it("--mirror cn, then check: up to date; regenerate from the lock keeps the mirrors", () => {
    const dir = tempDir("cs-cn-");
    expect(cli(["torch@2.5.1", "--mirror", "cn", "--out", dir]).code).toBe(0);
    const check = cli(["check", "--out", dir]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const again = cli(["--out", dir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Everything was up to date.");
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toContain(`ARG PIP_INDEX_URL=${cnUrl("pypi")}`);
  });

  it("a mirror file is recorded in the lock: check needs the file no more", () => {
    const dir = tempDir("cs-mf-");
    const mirrors = join(mkdtempSync(join(tmpdir(), "cs-mfile-")), "mirrors.yaml");
    writeFileSync(mirrors, "endpoints:\n  pypi: https://nexus.example.com/repository/pypi/simple\n");
    expect(cli(["torch@2.5.1", "--mirror", mirrors, "--out", dir]).code).toBe(0);
    rmSync(mirrors);
    const check = cli(["check", "--out", dir]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const lock = JSON.parse(readFileSync(join(dir, "cuda-scaffold.lock.json"), "utf8")) as { request: { mirror: unknown } };
    expect(lock.request.mirror).toEqual({ kind: "file", source: mirrors, endpoints: { pypi: "https://nexus.example.com/repository/pypi/simple" }, uv: "image", registryMirrors: [], allowInsecure: false });
  });
});

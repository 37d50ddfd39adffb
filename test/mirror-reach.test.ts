// --mirror cn on every stack and platform the data can produce: each endpoint the Dockerfile
// fetches from is either the preset's mirror or, where the preset has none, named in a no-mirror
// warning (unless the preset says its host answers from the region); no line that runs names a
// host the preset replaces. The apt step rewrites the image's own Ubuntu archive of its platform
// (the main archive and its security host on amd64, the ports archive on arm64, per
// matrix/arm64.yaml), run for real: the rendered step's sed on each Ubuntu release's sources (the
// one-line sources.list up to 22.04, deb822 ubuntu.sources from 24.04), then apt itself lists the
// URIs it would fetch.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { matrix } from "../src/matrix/data.js";
import { UserError } from "../src/errors.js";
import { endpointOf } from "../src/mirrors/mirror-set.js";
import { renderTemplate } from "../src/render/templates.js";
import { dockerfileView } from "../src/render/views.js";
import type { RawRequest } from "../src/request/parse-request.js";
import type { Resolution } from "../src/resolve/types.js";
import { resolveFor } from "./support/render.js";
import { runSteps } from "./support/dockerfile.js";
import { runStep } from "./support/run-step.js";
import { cli, tempDir } from "./support/cli.js";

const CN: Partial<RawRequest> = { mirror: { kind: "preset", name: "cn" } };
const cn = matrix.mirrors.presets.cn!;
const endpoints = matrix.mirrors.endpoints;
const hostOf = (url: string) => url.replace(/^https?:\/\//, "").split("/")[0]!;
const PLATFORMS = [undefined, "linux/arm64"] as const;

interface Stack {
  name: string;
  specs: string[];
  opts: Partial<RawRequest>;
  platform: (typeof PLATFORMS)[number];
}

/** Every (release, CUDA) of every framework, every CUDA toolkit and every OS, on each platform. */
function everyStack(): Stack[] {
  const stacks: Stack[] = [];
  for (const platform of PLATFORMS) {
    const on = platform ? { platform } : {};
    const tail = platform ? ` --platform ${platform}` : "";
    for (const [fw, data] of Object.entries(matrix.frameworks)) {
      for (const r of data!.releases) {
        for (const cuda of new Set(r.builds.map((b) => b.cuda))) stacks.push({ name: `${fw}@${r.version} --cuda ${cuda}${tail}`, specs: [`${fw}@${r.version}`], opts: { cuda, ...on }, platform });
      }
    }
    for (const tk of matrix.cuda.toolkits) stacks.push({ name: `cuda@${tk.version}${tail}`, specs: [`cuda@${tk.version}`], opts: { ...on }, platform });
    for (const os of matrix.platform.os) {
      for (const variant of ["runtime", "devel"] as const) stacks.push({ name: `cuda@12 --os ${os.name} --variant ${variant}${tail}`, specs: ["cuda@12"], opts: { os: os.name, variant, ...on }, platform });
    }
  }
  return stacks;
}

/** The stacks that resolve, with their Dockerfile as --mirror cn writes it. */
const rendered = everyStack().flatMap((s) => {
  let res: Resolution;
  try {
    res = resolveFor(s.specs, { ...s.opts, ...CN });
  } catch (err) {
    if (err instanceof UserError) return [];
    throw err;
  }
  return [{ ...s, res, docker: renderTemplate("Dockerfile", dockerfileView(res, matrix, "")) }];
});

/** Global ARG lines (before the first FROM) of the endpoints: name -> default. */
function globalArgs(dockerfile: string): Map<string, string> {
  const head = dockerfile.slice(0, dockerfile.search(/^FROM /m));
  const args = new Set(endpoints.map((e) => e.arg));
  return new Map([...head.matchAll(/^ARG ([A-Z_]+)=(.*)$/gm)].filter((m) => args.has(m[1]!)).map((m) => [m[1]!, m[2]!]));
}

/** The lines that run: no comments, no heredoc of the GPU check, no sed patterns (they name the public host on purpose). */
function running(dockerfile: string): string {
  return dockerfile
    .replace(/<<"GPU_CHECK"[\s\S]*?\nGPU_CHECK\n/, "")
    .split("\n")
    .filter((l) => !/^\s*#/.test(l) && !/^\s+-e "s#/.test(l))
    .join("\n")
    .replace(/"s#[^#]*#/g, '"s#');
}

describe("--mirror cn on every stack and platform", () => {
  it("covers the data: stacks on both platforms, Ubuntu, Rocky and UBI, and the jax releases that need jax-releases", () => {
    expect(rendered.length).toBeGreaterThan(400);
    expect(rendered.some((s) => s.platform === "linux/arm64" && s.res.plan.os.family === "debian")).toBe(true);
    expect(rendered.some((s) => s.docker.includes("ARG JAX_RELEASES="))).toBe(true);
    expect(rendered.some((s) => s.docker.includes("ARG UBI_MIRROR="))).toBe(true);
  });

  it("every endpoint the Dockerfile fetches from is cn's mirror, or named in a no-mirror warning where cn has none", () => {
    const problems: string[] = [];
    for (const s of rendered) {
      const warned = s.res.warnings.filter((w) => w.code === "no-mirror").map((w) => w.message);
      const unreplaced = new Set<string>();
      for (const [name, value] of globalArgs(s.docker)) {
        const e = endpoints.find((x) => x.arg === name)!;
        const row = cn.mirrors[e.id]!;
        if ("url" in row) {
          if (value !== row.url) problems.push(`${s.name}: ${name}=${value}, not cn's ${row.url}`);
          continue;
        }
        if (value !== e.default) problems.push(`${s.name}: ${name}=${value}, but cn has no mirror for ${e.id}`);
        if (row.reach === "reachable") continue;
        const host = hostOf(e.upstream);
        unreplaced.add(host);
        if (!warned.some((w) => w.startsWith(`${host} (${e.id}) has no mirror in --mirror cn`))) problems.push(`${s.name}: ${host} (${e.id}) stays public without a no-mirror warning`);
      }
      for (const w of warned) if (![...unreplaced].some((h) => w.startsWith(`${h} `))) problems.push(`${s.name}: a no-mirror warning for a host the build does not need unmirrored: ${w.slice(0, 80)}`);
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it("no line that runs names a host cn replaces", () => {
    const replaced = endpoints.filter((e) => "url" in cn.mirrors[e.id]!).flatMap((e) => [e.upstream, ...(e.also ?? [])].map(hostOf));
    const problems: string[] = [];
    for (const s of rendered) for (const host of new Set(replaced)) if (running(s.docker).includes(host)) problems.push(`${s.name}: ${host}`);
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it("every suggestion a no-mirror warning makes resolves with the request's other options, and needs no host cn leaves without a mirror", () => {
    const suggested = rendered.flatMap((s) =>
      s.res.warnings.flatMap((w) => {
        const m = w.code === "no-mirror" ? /What works: ((?:jax|torch|tensorflow|paddle)@\S+|--os \S+) \(/.exec(w.message) : null;
        return m ? [{ s, says: m[1]! }] : [];
      }),
    );
    expect(suggested.length).toBeGreaterThan(0);
    for (const { s, says } of suggested) {
      const res = says.startsWith("--os ") ? resolveFor(s.specs, { ...s.opts, os: says.slice(5), ...CN }) : resolveFor([says], { ...s.opts, ...CN });
      expect(res.warnings.filter((w) => w.code === "no-mirror"), `${s.name} -> ${says}`).toEqual([]);
    }
  });
});

describe("jax before the plugin wheels: the find-links page cn cannot replace", () => {
  it("jax@0.4.13 --mirror cn: the find-links host, why it may not answer, and the nearest release that installs from the package index alone", () => {
    const res = resolveFor(["jax@0.4.13"], CN);
    const w = res.warnings.find((x) => x.code === "no-mirror")!;
    expect(w.message).toMatch(/^storage\.googleapis\.com \(jax-releases\) has no mirror in --mirror cn, and jax\[cuda12_pip\] 0\.4\.13 \(cu120\) installs from https:\/\/storage\.googleapis\.com\/jax-releases\/jax_cuda_releases\.html\./);
    expect(w.message).toContain((cn.mirrors["jax-releases"] as { reachWhy: string }).reachWhy);
    // The nearest newer release whose default build has no find-links page, from the data.
    const next = matrix.frameworks.jax!.releases.filter((r) => r.builds.some((b) => b.default && !b.findLinks && !b.indexUrl) && r.version.startsWith("0.4.")).map((r) => r.version).sort((a, b) => Number(a.split(".")[2]) - Number(b.split(".")[2]))[0];
    expect(next).toBe("0.4.28");
    expect(w.message).toContain(`What works: jax@${next} (`);
    expect(w.message).toContain("--build-arg JAX_RELEASES=https://…");
  });

  it("jax@0.1.69 --mirror cn: its jaxlib wheel file is on the same host, so it is warned too, and the URL goes through JAX_RELEASES", () => {
    const res = resolveFor(["jax@0.1.69"], CN);
    const w = res.warnings.find((x) => x.code === "no-mirror")!;
    expect(w.message).toMatch(/^storage\.googleapis\.com \(jax-releases\) has no mirror in --mirror cn, and jax 0\.1\.69 \(cu102\) installs from https:\/\/storage\.googleapis\.com\/jax-releases\/cuda102\/\./);
    const docker = renderTemplate("Dockerfile", dockerfileView(res, matrix, ""));
    expect(docker).toContain('"jaxlib @ ${JAX_RELEASES:-https://storage.googleapis.com/jax-releases}/cuda102/jaxlib-0.1.47-cp38-none-linux_x86_64.whl"');
  });

  it("jax@0.4.28, whose default build is jax[cuda12] from PyPI: no warning", () => {
    expect(resolveFor(["jax@0.4.28"], CN).warnings.filter((w) => w.code === "no-mirror")).toEqual([]);
  });

  it("explain shows the warning too; without --mirror there is none", () => {
    const r = cli(["explain", "jax@0.4.13", "--mirror", "cn"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/! no-mirror: storage\.googleapis\.com \(jax-releases\)/);
    expect(cli(["explain", "jax@0.4.13"]).stdout).not.toContain("no-mirror");
  });

  it("a mirror file that extends cn is warned like cn, and its lock keeps the preset it extends", () => {
    const dir = tempDir("cs-reach-");
    const file = join(tempDir("cs-reach-file-"), "mirrors.yaml");
    writeFileSync(file, "extends: cn\nendpoints:\n  pypi: https://nexus.example.com/repository/pypi/simple\n");
    const r = cli(["jax@0.4.13", "--mirror", file, "--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`! no-mirror: storage.googleapis.com (jax-releases) has no mirror in --mirror ${file}`);
    const lock = JSON.parse(readFileSync(join(dir, "cuda-scaffold.lock.json"), "utf8")) as { request: { mirror: { extends?: string } } };
    expect(lock.request.mirror.extends).toBe("cn");
    const check = cli(["check", "--out", dir]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    // A file without extends names its own mirrors: nothing is warned about.
    writeFileSync(file, "endpoints:\n  pypi: https://nexus.example.com/repository/pypi/simple\n");
    expect(resolveFor(["jax@0.4.13"], { mirror: { kind: "file", path: file, text: readFileSync(file, "utf8") } }).warnings.filter((w) => w.code === "no-mirror")).toEqual([]);
  });
});

describe("Ubuntu's archive of each platform", () => {
  const archive = matrix.arm64.repos.find((r) => r.what.startsWith("Ubuntu"))!;

  it("matrix/arm64.yaml's archive of each platform is an endpoint of its own that cn mirrors", () => {
    const ids = [archive.amd64, archive.arm64].map((url) => endpointOf(matrix, url)?.endpoint.id);
    expect(ids[0]).toBeDefined();
    expect(ids[1]).toBeDefined();
    expect(ids[0]).not.toBe(ids[1]);
    for (const id of ids) expect("url" in cn.mirrors[id!]!, id).toBe(true);
  });

  const CODENAMES: Record<string, string> = { "16.04": "xenial", "18.04": "bionic", "20.04": "focal", "22.04": "jammy", "24.04": "noble" };
  /** What an Ubuntu image of this release and platform has in /etc/apt: one-line sources.list up to 22.04, deb822 ubuntu.sources from 24.04; NVIDIA's list of the platform's folder. */
  function imageSources(os: string, platform: Stack["platform"], nvidiaRepo: string): Record<string, string> {
    const version = os.replace("ubuntu", "");
    const code = CODENAMES[version];
    if (!code) throw new Error(`no codename for ${os}: add it to the test`);
    const main = platform === "linux/arm64" ? archive.arm64 : archive.amd64;
    const security = platform === "linux/arm64" ? archive.arm64 : "http://security.ubuntu.com/ubuntu/";
    const arch = platform === "linux/arm64" ? "sbsa" : "x86_64";
    const nvidia = { [`etc/apt/sources.list.d/cuda-${nvidiaRepo}-${arch}.list`]: `deb [signed-by=/usr/share/keyrings/cuda-archive-keyring.gpg] https://developer.download.nvidia.com/compute/cuda/repos/${nvidiaRepo}/${arch}/ /\n` };
    if (Number(version.split(".")[0]) >= 24) {
      return {
        "etc/apt/sources.list": "# Ubuntu sources have moved to /etc/apt/sources.list.d/ubuntu.sources\n",
        "etc/apt/sources.list.d/ubuntu.sources": `Types: deb\nURIs: ${main}\nSuites: ${code} ${code}-updates ${code}-backports\nComponents: main universe restricted multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n\nTypes: deb\nURIs: ${security}\nSuites: ${code}-security\nComponents: main universe restricted multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n`,
        ...nvidia,
      };
    }
    return {
      "etc/apt/sources.list": [`${code}`, `${code}-updates`, `${code}-backports`].map((s) => `deb ${main} ${s} main restricted universe multiverse\n`).join("") + `deb ${security} ${code}-security main restricted universe multiverse\n`,
      ...nvidia,
    };
  }

  const hasApt = spawnSync("apt-get", ["--version"]).status === 0;
  /** The URIs real apt would fetch for these sources, for the platform's architecture (no network: --print-uris). */
  function aptUris(root: string, platform: Stack["platform"]): string[] {
    for (const d of ["state/lists/partial", "cache/archives/partial", "empty"]) mkdirSync(join(root, d), { recursive: true });
    const r = spawnSync("apt-get", ["-o", `Dir::Etc=${root}/etc/apt`, "-o", `Dir::Etc::parts=${root}/empty`, "-o", `Dir::State=${root}/state`, "-o", `Dir::Cache=${root}/cache`, "-o", `APT::Architecture=${platform === "linux/arm64" ? "arm64" : "amd64"}`, "-o", `APT::Architectures=${platform === "linux/arm64" ? "arm64" : "amd64"}`, "-o", "Debug::NoLocking=1", "--print-uris", "update"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    return [...r.stdout.matchAll(/^'([^']+)'/gm)].map((m) => m[1]!);
  }

  /**
   * The source rewrite of a generated apt step, as it is written: its commands from the mirror's
   * assignment through the find … sed over /etc/apt (the rest of the step installs packages).
   */
  function rewriteOf(shell: string): string {
    const commands = shell.split(/ \\\n && /);
    const first = commands.findIndex((c) => c.startsWith("ubuntu="));
    const last = commands.findIndex((c) => c.startsWith("find /etc/apt -maxdepth 2"));
    expect(first, shell).toBeGreaterThanOrEqual(0);
    expect(last, shell).toBeGreaterThan(first);
    return commands.slice(first, last + 1).join(" \\\n && ").replace(/ \\$/, "");
  }

  // One run per distinct source rewrite, Ubuntu release and platform the data produces.
  const steps = new Map<string, { shell: string; os: string; nvidiaRepo: string; platform: Stack["platform"]; bootstrap: boolean; name: string }>();
  for (const s of rendered.filter((x) => x.res.plan.os.family === "debian")) {
    for (const step of runSteps(s.docker).filter((x) => x.shell.includes("find /etc/apt -maxdepth 2"))) {
      const shell = rewriteOf(step.shell);
      const bootstrap = shell.includes('first="$ubuntu"');
      const key = `${s.platform} ${s.res.plan.os.name} ${shell}`;
      if (!steps.has(key)) steps.set(key, { shell, os: s.res.plan.os.name, nvidiaRepo: s.res.plan.os.nvidiaRepo, platform: s.platform, bootstrap, name: s.name });
    }
  }

  it("the data produces Ubuntu stacks on both platforms, and deb822 sources (24.04) on arm64", () => {
    const kinds = new Set([...steps.values()].map((s) => `${s.platform ?? "linux/amd64"} ${s.os}`));
    expect([...kinds].some((k) => k.startsWith("linux/arm64 "))).toBe(true);
    expect(kinds.has("linux/arm64 ubuntu24.04")).toBe(true);
    expect(kinds.has("linux/amd64 ubuntu22.04")).toBe(true);
  });

  it.each([...steps.values()].map((s) => [`${s.platform ?? "linux/amd64"} ${s.os}${s.bootstrap ? " (plain image)" : ""}: ${s.name}`, s] as const))("%s", (_name, s) => {
    const files = imageSources(s.os, s.platform, s.nvidiaRepo);
    // A plain image has no CA certificates yet: the step goes to the mirror over http first.
    const r = runStep(s.shell, files, {}, { ca: !s.bootstrap });
    expect(r.code, r.stderr).toBe(0);
    const after = Object.keys(files).map((p) => r.read(p)).join("\n");
    for (const host of ["archive.ubuntu.com", "security.ubuntu.com", "ports.ubuntu.com", "developer.download.nvidia.com"]) expect(after, host).not.toContain(`//${host}/`);
    const ubuntuId = endpointOf(matrix, s.platform === "linux/arm64" ? archive.arm64 : archive.amd64)!.endpoint.id;
    const mirrorUrl = (cn.mirrors[ubuntuId] as { url: string }).url.replace(/^https?:\/\//, "");
    const nvidia = hostOf((cn.mirrors["cuda-repo"] as { url: string }).url);
    expect(after).toContain(`//${mirrorUrl}/`);
    if (!hasApt) return;
    const uris = aptUris(r.root, s.platform);
    const code = CODENAMES[s.os.replace("ubuntu", "")]!;
    for (const suite of [code, `${code}-updates`, `${code}-security`]) expect(uris, suite).toContain(`${s.bootstrap ? "http" : "https"}://${mirrorUrl}/dists/${suite}/InRelease`);
    for (const uri of uris) expect([hostOf(mirrorUrl), nvidia], uri).toContain(hostOf(uri));
    if (s.platform === "linux/arm64") expect(uris.some((u) => u.includes("/binary-arm64/"))).toBe(true);
  });
});

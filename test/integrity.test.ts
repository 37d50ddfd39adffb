// Every stack the data can produce (every release × build × container OS), rendered and checked
// against the facts of the world recorded in matrix/: the packages it installs exist in NVIDIA's
// recorded repositories, the base OS's glibc meets the wheels' floor, the constraints hold every
// cap, and no two declared bounds conflict. A new release or rule in the data is swept here too.
import { describe, expect, it } from "vitest";
import { matrix } from "../src/matrix/data.js";
import { FRAMEWORK_NAMES, tool } from "../src/matrix/lookup.js";
import { capsFor, requiresFor, wheelPlatform } from "../src/matrix/rules.js";
import { compare, satisfies, specsIntersect } from "../src/matrix/versions.js";
import { UserError } from "../src/errors.js";
import { file, renderFor } from "./support/render.js";
import { installedPackages } from "./support/dockerfile.js";
import type { Resolution } from "../src/resolve/types.js";
import type { GeneratedFile } from "../src/render/render-files.js";
import { shellQuote } from "../src/render/quote.js";

interface Rendered {
  label: string;
  res: Resolution;
  files: GeneratedFile[];
}

/** Every release × build × OS the data has; refusals are fine (the resolver says why), crashes are not. */
function sweep(): { rendered: Rendered[]; refused: number } {
  const rendered: Rendered[] = [];
  let refused = 0;
  for (const fw of FRAMEWORK_NAMES) {
    for (const release of matrix.frameworks[fw]?.releases ?? []) {
      for (const cuda of new Set(release.builds.map((b) => b.cuda))) {
        for (const os of matrix.platform.os) {
          const label = `${fw}@${release.version} --cuda ${cuda} --os ${os.name}`;
          try {
            rendered.push({ label, ...renderFor([`${fw}@${release.version}`], { cuda, os: os.name }) });
          } catch (err) {
            if (!(err instanceof UserError)) throw new Error(`${label}: ${String(err)}`);
            refused++;
          }
        }
      }
    }
  }
  for (const tk of matrix.cuda.toolkits) {
    for (const os of matrix.platform.os) {
      for (const variant of ["runtime", "devel"]) {
        const label = `cuda@${tk.version} --os ${os.name} --variant ${variant}`;
        try {
          rendered.push({ label, ...renderFor([`cuda@${tk.version}`], { os: os.name, variant }) });
        } catch (err) {
          if (!(err instanceof UserError)) throw new Error(`${label}: ${String(err)}`);
          refused++;
        }
      }
    }
  }
  return { rendered, refused };
}

const { rendered, refused } = sweep();


/** NVIDIA package names the data records for this repository and CUDA: CUDA meta packages and cuDNN. */
function recordedNvidiaPackages(res: Resolution): Set<string> {
  const { os } = res.plan;
  const family = matrix.nvidiaPackages.families.find((f) => f.family === (os.family === "debian" ? "deb" : "rpm") && f.repos.includes(os.nvidiaRepo));
  const names = new Set<string>();
  for (const tk of matrix.cuda.toolkits) {
    if (!tk.repos.includes(os.nvidiaRepo)) continue;
    const [X = "", Y = ""] = tk.version.split(".");
    for (const p of family?.packages ?? []) if (satisfies(tk.version, p.cuda)) names.add(p.name.replace(/\{X\}/g, X).replace(/\{Y\}/g, Y));
  }
  for (const c of matrix.cuda.cudnn ?? []) {
    if (!c.repos.includes(os.nvidiaRepo)) continue;
    const major = c.version.split(".")[0];
    if (c.repository === "machine-learning") names.add(`/tmp/nvidia-ml/libcudnn${major}_${c.version}-1+cuda${c.cuda}_amd64.deb`);
    else names.add(os.family === "debian" ? `libcudnn${major}=${c.version}-1+cuda${c.cuda}` : `libcudnn${major}-${c.version}-1.cuda${c.cuda}`);
  }
  // What NVIDIA's runtime images install, pinned (matrix/nvidia-packages.yaml runtimeImages), and the machine-learning repository's files among them.
  for (const row of matrix.nvidiaPackages.runtimeImages ?? []) {
    if (row.repo !== os.nvidiaRepo) continue;
    for (const p of row.packages) names.add(p);
    for (const d of row.downloads ?? []) names.add(`/tmp/nvidia-ml/${d.url.slice(d.url.lastIndexOf("/") + 1)}`);
  }
  return names;
}

// The OS's own packages the templates name, and the C compiler of matrix/platform.yaml (hostCompiler).
const OS_PACKAGES = new Set(["ca-certificates", "build-essential", "git", "gcc", "gcc-c++", "make", "python3", "python3-venv", ...["hostCompilerDebPackages", "hostCompilerRpmPackages"].flatMap((k) => tool(matrix, k).split(" "))]);

describe("every stack the data can produce", () => {
  it("the sweep renders a large share of the data and refuses the rest with a reason", () => {
    expect(rendered.length).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(0);
  });

  it("every framework build has a wheel platform rule, and every rule matches some build", () => {
    const used = new Set<object>();
    const missing: string[] = [];
    for (const fw of FRAMEWORK_NAMES) {
      for (const r of matrix.frameworks[fw]?.releases ?? []) {
        for (const b of r.builds) {
          const rule = wheelPlatform(matrix, { framework: fw, version: r.version, cuda: b.cuda });
          if (rule) used.add(rule);
          // An unverified release (verified: false) may lack one: its wheel tag is among the facts no source confirmed, and its reason says so.
          else if (r.verified === false) expect(r.unverifiedReason, `${fw} ${r.version}`).toContain("wheel-platforms.yaml");
          else missing.push(`${fw} ${r.version} cu${b.cuda}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(matrix.wheelPlatforms.rules.filter((r) => !used.has(r)).map((r) => `${r.framework} ${r.versions}`)).toEqual([]);
  });

  it("sets TORCH_CUDA_ARCH_LIST in the dev stage of every torch stack to capabilities the build was compiled for and its nvcc targets", () => {
    let torchStacks = 0;
    for (const r of rendered) {
      const torch = r.res.builds.find((b) => b.framework === "torch" && b.packages.length > 0);
      const dev = file(r.files, "Dockerfile").split(/^FROM base AS dev$/m)[1]!.split(/^FROM /m)[0]!;
      const env = /^ENV TORCH_CUDA_ARCH_LIST="([^"]*)"$/m.exec(dev)?.[1];
      if (!torch || torch.arch.filter((a) => torch.cudaSm.includes(a)).length === 0) {
        expect(env, r.label).toBeUndefined();
        continue;
      }
      torchStacks++;
      expect(env, r.label).toMatch(/^\d+\.\d+(\+PTX)?(;\d+\.\d+(\+PTX)?)*$/);
      const caps = env!.split(";").map((c) => c.replace(/\+PTX$/, ""));
      for (const c of caps) expect(torch.arch.includes(c) && torch.cudaSm.includes(c), `${r.label}: ${c}`).toBe(true);
      expect(env!.endsWith("+PTX"), r.label).toBe(true);
      expect(dev.indexOf("ENV TORCH_CUDA_ARCH_LIST"), r.label).toBeLessThan(dev.indexOf("USER ${USERNAME}"));
    }
    expect(torchStacks).toBeGreaterThan(100);
  });

  it("installs only packages the OS or NVIDIA's recorded repository carries", () => {
    const bad: string[] = [];
    for (const { label, res, files } of rendered) {
      const known = recordedNvidiaPackages(res);
      for (const name of installedPackages(file(files, "Dockerfile"))) {
        if (!OS_PACKAGES.has(name) && !known.has(name)) bad.push(`${label}: ${name}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("never bases a stack on an OS whose glibc is older than its wheels' floor", () => {
    const bad = rendered
      .flatMap(({ label, res }) => res.builds.filter((b) => b.wheelPlatform && compare(res.plan.os.glibc, b.wheelPlatform.glibc) < 0).map((b) => `${label}: ${b.label} ${b.wheelPlatform!.tag} on ${res.plan.os.name} (glibc ${res.plan.os.glibc})`));
    expect(bad).toEqual([]);
  });

  it("installs and constrains every cap of every build", () => {
    const bad: string[] = [];
    for (const { label, res, files } of rendered) {
      const docker = file(files, "Dockerfile");
      const constraints = /<<"CONSTRAINTS" \/opt\/venv\/constraints.txt\n([\s\S]*?)\nCONSTRAINTS\n/.exec(docker)?.[1]?.split("\n") ?? [];
      for (const b of res.builds) {
        for (const cap of capsFor(matrix, { framework: b.framework as never, version: b.version, cuda: b.cuda })) {
          const line = constraints.find((l) => l.startsWith(cap.package) && /^[<>=!~]/.test(l.slice(cap.package.length)));
          const clauses = line?.slice(cap.package.length).split(",") ?? [];
          if (!cap.spec.split(",").every((c) => clauses.includes(c.trim()))) bad.push(`${label}: constraints lack ${cap.package}${cap.spec}`);
          if (!line || !docker.includes(`      ${shellQuote(line)}`)) bad.push(`${label}: the install lacks ${line ?? cap.package}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("says NVIDIA deleted an image only when it did: every image of that CUDA minor, OS and flavour is deleted", () => {
    // A live image whose cuDNN does not suit the build is not a deleted one (tensorflow 2.13 --os
    // ubuntu22.04 once said so), nor is a CUDA minor NVIDIA never published for the OS (jax 0.4.13
    // --os ubuntu24.04, CUDA 12.0).
    const bad: string[] = [];
    let deleted = 0;
    for (const { label, res } of rendered) {
      const w = res.warnings.find((x) => x.code === "base-image-deleted");
      if (!w) continue;
      deleted++;
      const tag = /^NVIDIA has deleted nvidia\/cuda:(\S+?);/.exec(w.message)?.[1];
      if (!tag) { bad.push(`${label}: ${w.message}`); continue; }
      const flavor = ["devel", "runtime", "base"].find((f) => tag.includes(`-${f}-`))!;
      const rows = matrix.images.images.filter((i) => i.os === res.plan.os.name && (i.cuda === res.cuda || i.cuda.startsWith(`${res.cuda}.`)) && i.flavors.includes(flavor as never));
      if (!rows.length || rows.some((i) => i.status !== "deleted")) bad.push(`${label}: says ${tag} is deleted; rows: ${rows.map((i) => `${i.cuda} ${i.status}`).join(", ") || "none"}`);
    }
    expect(bad).toEqual([]);
    expect(deleted).toBeGreaterThan(50);
  });

  it("the image's system cuDNN is the build's, or a later minor of its major where the build accepts one (matrix/library-compat.yaml)", () => {
    const bad: string[] = [];
    for (const { label, res } of rendered) {
      const b = res.builds.find((x) => !x.bundlesCuda && x.cudnn);
      const have = res.plan.base.cudnn ?? res.plan.laterCudnn?.version;
      if (!b || !have) continue;
      // Compared at major.minor, as the frameworks' checks do (patch releases are compatible both ways).
      const need = b.cudnn!.split(".").slice(0, 2).join(".");
      const ok = b.systemLibs?.cudnnFloor ? have.split(".")[0] === need.split(".")[0] && compare(have.split(".").slice(0, 2).join("."), need) >= 0 : need.split(".").every((p, i) => have.split(".")[i] === p);
      if (!ok) bad.push(`${label}: ${b.label} needs cuDNN ${b.cudnn}${b.systemLibs?.cudnnFloor ? " or later" : ""}, image has ${have}`);
      if (res.plan.laterCudnn && !b.systemLibs?.cudnnFloor) bad.push(`${label}: a later cuDNN for a build that pins it`);
    }
    expect(bad).toEqual([]);
  });

  it("no two bounds in a stack (declared or capped) exclude each other", () => {
    const bad: string[] = [];
    for (const { label, res } of rendered) {
      const byPackage = new Map<string, string[]>();
      for (const b of res.builds) {
        const key = { framework: b.framework as never, version: b.version, cuda: b.cuda };
        for (const r of [...requiresFor(matrix, key), ...capsFor(matrix, key)]) byPackage.set(r.package, [...(byPackage.get(r.package) ?? []), r.spec]);
      }
      for (const [pkg, specs] of byPackage) if (!specsIntersect(specs)) bad.push(`${label}: ${pkg} ${specs.join(" and ")}`);
    }
    expect(bad).toEqual([]);
  });
});

/** `paddle@V --cuda C` for one build: the resolution, or the line of the refusal that names the build. */
function paddleBuild(version: string, cuda: string, label: string): { res: Resolution } | { refusal: string } {
  try {
    return { res: renderFor([`paddle@${version}`], { cuda }).res };
  } catch (err) {
    if (!(err instanceof UserError)) throw new Error(`paddle@${version} --cuda ${cuda}: ${String(err)}`);
    return { refusal: err.problems.flatMap((p) => p.message.split("\n")).find((l) => l.trim().startsWith(`${label}:`)) ?? "" };
  }
}

describe("every Paddle release × build", () => {
  const rows = (matrix.frameworks.paddle?.releases ?? []).flatMap((r) => r.builds.map((b) => ({ version: r.version, cuda: b.cuda, label: `paddle ${r.version} (cu${b.cuda.replace(".", "")})` })));
  const outcomes = rows.map((row) => ({ ...row, outcome: paddleBuild(row.version, row.cuda, row.label) }));

  it("resolves to that build, or is refused with a reason that names it", () => {
    const bad: string[] = [];
    for (const { version, cuda, label, outcome } of outcomes) {
      if ("res" in outcome) {
        if (outcome.res.builds[0]!.cuda !== cuda) bad.push(`paddle@${version} --cuda ${cuda} resolved to ${outcome.res.builds[0]!.label}`);
      } else if (!/^\s*paddle \S+ \(cu\d+\): \S/.test(outcome.refusal)) bad.push(`${label} is refused without a reason naming it`);
    }
    expect(bad).toEqual([]);
  });

  it("every one resolves today, the cu112 and cu120 builds included (on a later CUDA minor, with a warning)", () => {
    expect(outcomes.filter((o) => !("res" in o.outcome)).map((o) => `${o.label}: ${"refusal" in o.outcome ? o.outcome.refusal : ""}`)).toEqual([]);
    const moved = outcomes.filter((o) => "res" in o.outcome && o.outcome.res.cuda !== o.cuda);
    expect(moved.map((o) => o.label)).toEqual(expect.arrayContaining(["paddle 2.4.2 (cu112)", "paddle 2.5.2 (cu112)", "paddle 2.5.2 (cu120)", "paddle 2.6.1 (cu112)", "paddle 2.6.1 (cu120)"]));
    for (const o of moved) expect("res" in o.outcome && o.outcome.res.warnings.some((w) => w.code === "cuda-minor-newer"), o.label).toBe(true);
  });
});

/** The requirements of the Dockerfile's framework install command (`uv pip install …` or `pip install …`), unquoted. */
function installRequirements(dockerfile: string): string[] {
  const lines = dockerfile.split("\n");
  const start = lines.findIndex((l) => /^ && (uv )?pip install( |\\|$)/.test(l) && !/--upgrade/.test(l));
  if (start < 0) return [];
  const reqs: string[] = [];
  for (let k = start + 1; k < lines.length; k++) {
    const word = lines[k]!.trim().replace(/ \\$/, "");
    reqs.push(word.replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1"));
    if (!lines[k]!.endsWith("\\")) break;
  }
  return reqs;
}

describe("extras the package index cannot install (matrix/frameworks extraUnavailable)", () => {
  // tensorflow[and-cuda] 2.15.0 requires tensorrt-libs==8.6.1, which only NVIDIA's own index had, and
  // 2.14's extra requires tensorrt==8.5.3.1, which has no Python 3.11 wheel: `uv pip install` fails
  // the whole resolution when one requirement has no distribution. Every build that installs an
  // extra, on every Python it has wheels for (the default Python is only the newest).
  const rows = FRAMEWORK_NAMES.flatMap((fw) =>
    (matrix.frameworks[fw]?.releases ?? []).flatMap((r) =>
      r.builds.filter((b) => b.packages.some((p) => p.extras?.length)).flatMap((b) => (b.python ?? r.python).map((python) => ({ fw, version: r.version, python, build: b }))),
    ),
  );

  it("no rendered install names an extra the data marks as not installable on its Python; the extra's nvidia-* wheels are pinned and constrained instead", () => {
    const bad: string[] = [];
    let checked = 0;
    let replaced = 0;
    for (const { fw, version, python, build } of rows) {
      const label = `${fw}@${version} --cuda ${build.cuda} --python ${python}`;
      let out: { res: Resolution; files: GeneratedFile[] };
      try {
        out = renderFor([`${fw}@${version}`], { cuda: build.cuda, python });
      } catch (err) {
        if (!(err instanceof UserError)) throw new Error(`${label}: ${String(err)}`);
        continue;
      }
      // Another build of the same release and CUDA (a different package) is that build's own row.
      if (JSON.stringify(out.res.builds[0]!.packages) !== JSON.stringify(build.packages)) continue;
      checked++;
      const docker = file(out.files, "Dockerfile");
      const install = installRequirements(docker);
      const constraints = /<<"CONSTRAINTS" \/opt\/venv\/constraints.txt\n([\s\S]*?)\nCONSTRAINTS\n/.exec(docker)?.[1]?.split("\n") ?? [];
      const row = build.extraUnavailable;
      const blocked = row && (!row.python || row.python.includes(python)) ? row : null;
      for (const p of build.packages) {
        for (const extra of p.extras ?? []) {
          const named = install.some((req) => new RegExp(`^${p.name}\\[[^\\]]*\\b${extra}\\b[^\\]]*\\]==`).test(req));
          if (blocked?.extra === extra && named) bad.push(`${label}: installs ${p.name}[${extra}], which needs ${blocked.leftOut.join(", ")} (${blocked.source})`);
          if (!blocked && !named) bad.push(`${label}: ${p.name}[${extra}] is installable but the install leaves the extra out`);
        }
      }
      if (!blocked) continue;
      replaced++;
      const lock = JSON.parse(file(out.files, "cuda-scaffold.lock.json")) as { resolution: { frameworks: { extraLeftOut?: { extra: string } }[] } };
      if (lock.resolution.frameworks[0]!.extraLeftOut?.extra !== blocked.extra) bad.push(`${label}: the lock does not record the extra left out`);
      if (build.cudaWheels?.length === 0) bad.push(`${label}: no cudaWheels to install instead of ${blocked.extra}`);
      for (const w of build.cudaWheels ?? []) {
        if (!install.includes(`${w.name}${w.spec}`)) bad.push(`${label}: the install lacks ${w.name}${w.spec}`);
        if (!constraints.includes(`${w.name}${w.spec}`)) bad.push(`${label}: the constraints lack ${w.name}${w.spec}`);
      }
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(20);
    // 2.14.0 and 2.14.1 on Python 3.11, 2.15.0 on 3.9, 3.10 and 3.11.
    expect(replaced).toBeGreaterThanOrEqual(5);
  });

  it("every row names an extra its build installs, cudaWheels to install instead, and Pythons the release has", () => {
    const bad: string[] = [];
    for (const fw of FRAMEWORK_NAMES) {
      for (const r of matrix.frameworks[fw]?.releases ?? []) {
        for (const b of r.builds) {
          const row = b.extraUnavailable;
          if (!row) continue;
          const label = `${fw} ${r.version} cu${b.cuda}`;
          if (!b.packages.some((p) => p.extras?.includes(row.extra))) bad.push(`${label}: no package installs [${row.extra}]`);
          if (!b.cudaWheels?.length || !b.cudaWheelsSource) bad.push(`${label}: no cudaWheels (with their source) to install instead`);
          for (const p of row.python ?? []) if (!(b.python ?? r.python).includes(p)) bad.push(`${label}: Python ${p} is not one the release has`);
          for (const req of row.leftOut) if (b.cudaWheels?.some((w) => req.startsWith(`${w.name}=`) || req.startsWith(`${w.name}>`) || req.startsWith(`${w.name}<`))) bad.push(`${label}: ${req} is a cudaWheel, not left out`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});

describe("every JAX stack installs a CUDA jaxlib", () => {
  // The package index's jaxlib is CPU-only (PyPI's jaxlib files are manylinux CPU wheels, and
  // releases before 0.4.17 have been deleted from it: jax-ml/jax#8640, #17717). A JAX stack gets
  // GPU support only from a CUDA jaxlib: X+cudaNN… from the jax-releases find-links page, a
  // jax-releases/cudaNNN/ wheel by its direct URL (0.1.x, whose CUDA wheels carry no local version
  // and are on no find-links page), or the jax-cudaNN-plugin wheels.
  const jaxStacks = rendered.filter((r) => r.res.builds.some((b) => b.framework === "jax"));

  it("names a +cuda jaxlib from the find-links page, a cudaNNN/ jaxlib wheel URL, or the CUDA plugin", () => {
    const bad: string[] = [];
    const kinds = { links: 0, url: 0, plugin: 0 };
    for (const { label, res, files } of jaxStacks) {
      const docker = file(files, "Dockerfile");
      const command = docker.split("\n").find((l) => /^ && (uv )?pip install( |\\|$)/.test(l) && !/--upgrade/.test(l)) ?? "";
      const reqs = installRequirements(docker);
      const cuda = res.builds.find((b) => b.framework === "jax")!.cuda;
      const [major] = cuda.split(".");
      const tag = cuda.replace(".", "");
      if (reqs.some((r) => /^jax-cuda\d+-plugin(\[[^\]]*\])?==/.test(r))) kinds.plugin++;
      else if (reqs.some((r) => new RegExp(`^jaxlib==[^+]+\\+cuda(${tag}|${major}\\.)`).test(r)) && /--find-links \S*jax-releases\S*\/jax(_cuda)?_releases\.html/.test(command)) kinds.links++;
      else if (reqs.some((r) => new RegExp(`^jaxlib @ \\S*jax-releases\\S*/cuda${tag}/jaxlib-[^/]+-cp\\d+-none-[a-z0-9_]+\\.whl$`).test(r))) kinds.url++;
      else bad.push(`${label}: installs ${reqs.filter((r) => r.startsWith("jax")).join(" ")}${command.includes("--find-links") ? "" : " from the package index"}, no CUDA jaxlib`);
    }
    expect(bad).toEqual([]);
    expect(kinds.links).toBeGreaterThan(0);
    expect(kinds.url).toBeGreaterThan(0);
    expect(kinds.plugin).toBeGreaterThan(0);
  });
});

describe("stacks on the plain OS image install what NVIDIA's runtime image has (matrix/nvidia-packages.yaml runtimeImages)", () => {
  // Where the nvidia/cuda tag is gone, the image is the plain OS plus NVIDIA's packages. The runtime
  // meta package (cuda-libraries-X-Y) has no NVTX and no NCCL, which NVIDIA's runtime images add and
  // frameworks dlopen (Paddle 2.x: libnvToolsExt.so, libnccl.so): the image must install everything
  // the runtime image does, as NVIDIA pins it.
  const plain = rendered.filter((r) => r.res.plan.base.kind === "os" && r.res.plan.base.cuda !== null && r.res.plan.os.family === "debian");

  it("installs every package and file of the row for its CUDA and OS; every framework stack there has a row", () => {
    const bad: string[] = [];
    let checked = 0;
    for (const { label, res, files } of plain) {
      const cuda = res.cuda.split(".").slice(0, 2).join(".");
      const row = (matrix.nvidiaPackages.runtimeImages ?? []).find((x) => x.repo === res.plan.os.nvidiaRepo && x.cuda === cuda);
      if (!row) {
        if (res.builds.some((b) => b.framework !== "cuda")) bad.push(`${label}: no runtimeImages row for CUDA ${cuda} on ${res.plan.os.nvidiaRepo}`);
        continue;
      }
      checked++;
      const docker = file(files, "Dockerfile");
      const base = docker.split(/^FROM base AS dev$/m)[0]!;
      const installed = installedPackages(base);
      for (const p of row.packages) if (!installed.includes(p)) bad.push(`${label}: lacks ${p} (${row.image})`);
      for (const d of row.downloads ?? []) {
        const name = d.url.slice(d.url.lastIndexOf("/") + 1);
        if (!installed.includes(`/tmp/nvidia-ml/${name}`)) bad.push(`${label}: lacks ${name} (${row.image})`);
        const add = base.split("\n").find((l) => l.startsWith("ADD") && l.endsWith(` /tmp/nvidia-ml/${name}`)) ?? "";
        if (d.sha256 && !add.includes(`--checksum=sha256:${d.sha256}`)) bad.push(`${label}: ${name} is not checked against its SHA-256`);
      }
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });

  it("every row gives NCCL and NVTX where NVIDIA's image has them: CUDA 10.0 and later", () => {
    for (const row of matrix.nvidiaPackages.runtimeImages ?? []) {
      const all = [...row.packages, ...(row.downloads ?? []).map((d) => d.url.slice(d.url.lastIndexOf("/") + 1))];
      const [X, Y] = row.cuda.split(".");
      const expected = Number(X) >= 10;
      expect(all.some((p) => p.startsWith("libnccl2")), `${row.repo} ${row.cuda}: libnccl2`).toBe(expected);
      expect(all.some((p) => p.startsWith(`cuda-nvtx-${X}-${Y}=`)), `${row.repo} ${row.cuda}: cuda-nvtx`).toBe(expected);
    }
  });
});

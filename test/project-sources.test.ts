// A project's requirements that build from source (a VCS checkout or an archive: detectron2 or
// causal-conv1d from git, an sdist URL) are built as wheels in the dev stage, where nvcc, the CUDA
// headers and a C++ compiler are, without build isolation first (so a CUDA extension compiles
// against the installed framework) and with it where the package's build backend is missing; the
// runtime target installs the same wheels. Before, they were installed in the base stage, with
// build isolation and no nvcc, where a torch extension cannot build.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { matrix } from "../src/matrix/data.js";
import { readProject } from "../src/project/read-project.js";
import { resolveProject } from "../src/project/resolve-project.js";
import { renderFiles } from "../src/render/render-files.js";
import { buildsFromSource } from "../src/project/pep508.js";
import { tempDir } from "./support/cli.js";
import { runSteps } from "./support/dockerfile.js";
import { file, TEST_VERSION } from "./support/render.js";
import { dockerfileProblems } from "./support/validators.js";

describe("which requirements build from source", () => {
  it.each<[string, boolean]>([
    ["detectron2 @ git+https://github.com/facebookresearch/detectron2.git@v0.3", true],
    ["causal-conv1d @ git+https://github.com/hustvl/Vim@a452c02#subdirectory=reference/causal-conv1d-1.1.0", true],
    ["pkg[extra] @ hg+https://example.org/pkg", true],
    ["https://example.org/pkg-1.0.tar.gz", true],
    ["pkg @ https://example.org/pkg-1.0.zip#sha256=00", true],
    ["pkg @ https://example.org/pkg-1.0-py3-none-any.whl", false],
    ["https://example.org/pkg-1.0-py3-none-any.whl ; python_version >= '3.8'", false],
    ["numpy>=1.19", false],
    ["--extra-index-url https://mirror.example/simple", false],
    ["opencv-python==4.5.1.48", false],
  ])("%s: %s", (line, source) => expect(buildsFromSource(line)).toBe(source));
});

describe("a PEP 508 URL reference is a requirement, not a local path", () => {
  it.each(["pkg @ https://example.org/pkg-1.0.tar.gz", "wheelpkg @ https://example.org/wheelpkg-1.0-py3-none-any.whl", "zipped[extra] @ https://example.org/z.zip"])("%s", (line) => {
    const dir = tempDir("cs-url-");
    writeFileSync(join(dir, "requirements.txt"), `torch==2.1.2\n${line}\n`);
    const r = readProject(dir, matrix);
    expect(r.dependencies.map((d) => [d.kind, d.line])).toEqual([["requirement", line]]);
    expect(r.warnings).toEqual([]);
  });
});

function renderProject(requirements: string): string {
  const dir = tempDir("cs-src-");
  writeFileSync(join(dir, "requirements.txt"), requirements);
  const { res } = resolveProject(readProject(dir, matrix), { specs: [], folderName: "demo", name: "demo", project: { requirements: false, pyproject: false } }, matrix, { recordDir: ".", allowUpgrade: false });
  return file(renderFiles(res, matrix, TEST_VERSION), "Dockerfile");
}

describe("a torch project with source requirements", () => {
  const docker = renderProject("torch==2.1.2\nnumpy>=1.19\ndetectron2 @ git+https://github.com/facebookresearch/detectron2.git@v0.3\nhttps://example.org/pkg-1.0.tar.gz\nwheelpkg @ https://example.org/wheelpkg-1.0-py3-none-any.whl\n");
  const [base, dev, runtime] = ["base", "dev", "runtime"].map((s) => docker.split(new RegExp(`^FROM \\S+ AS ${s}$`, "m"))[1]!.split(/^FROM /m)[0]!);

  it("installs index requirements in the base stage, and builds the source ones as wheels in the dev stage, where nvcc is", () => {
    const baseReqs = /<<"REQUIREMENTS" \/tmp\/project\/requirements.txt\n([\s\S]*?)\nREQUIREMENTS/.exec(base!)![1]!.split("\n");
    expect(baseReqs).toEqual(["numpy>=1.19", "wheelpkg @ https://example.org/wheelpkg-1.0-py3-none-any.whl"]);
    const sources = /<<"REQUIREMENTS" \/tmp\/project\/sources.txt\n([\s\S]*?)\nREQUIREMENTS/.exec(dev!)![1]!.split("\n");
    expect(sources).toEqual(["detectron2 @ git+https://github.com/facebookresearch/detectron2.git@v0.3", "https://example.org/pkg-1.0.tar.gz"]);
    expect(dev!.indexOf("cuda-nvcc-12-1")).toBeGreaterThan(-1);
    expect(dev!.indexOf("cuda-nvcc-12-1")).toBeLessThan(dev!.indexOf("pip wheel"));
    expect(dev!.indexOf("ENV TORCH_CUDA_ARCH_LIST")).toBeLessThan(dev!.indexOf("pip wheel"));
    // A build argument with no default, so it stays unset (one job per CPU) unless given.
    expect(dev).toMatch(/^ARG MAX_JOBS$/m);
    expect(dev!.indexOf("ARG MAX_JOBS")).toBeLessThan(dev!.indexOf("pip wheel"));
    expect(base).toMatch(/apt-get install -y --no-install-recommends [^\n]*\bgit\b/);
  });

  it("the runtime target installs the wheels the dev target built, without nvcc", () => {
    expect(runtime).toContain("COPY --from=dev /opt/wheels /opt/wheels");
    expect(runtime).toMatch(/uv pip install [^\n]*\/opt\/wheels\/\*\.whl/);
    expect(runtime).not.toMatch(/cuda-nvcc|apt-get|dnf /);
    expect(dockerfileProblems(docker)).toEqual([]);
  });

  it("a package that compiles against the framework (matrix/companions.yaml buildWithFramework) is built the same way, by its name as PyPI normalizes it", () => {
    const docker2 = renderProject("torch==2.1.2\nFlash_Attn==2.5.8\nmamba-ssm>=2.0 ; python_version >= '3.8'\nnumpy\n");
    const dev2 = docker2.split(/^FROM \S+ AS dev$/m)[1]!;
    const sources = /<<"REQUIREMENTS" \/tmp\/project\/sources.txt\n([\s\S]*?)\nREQUIREMENTS/.exec(dev2)![1]!.split("\n");
    expect(sources).toEqual(["Flash_Attn==2.5.8", "mamba-ssm>=2.0 ; python_version >= '3.8'"]);
    for (const b of matrix.companions.buildWithFramework) expect(b.source, b.package).toMatch(/^https:\/\//);
  });

  it("a project without them renders no such step", () => {
    const plain = renderProject("torch==2.1.2\nnumpy>=1.19\n");
    expect(plain).not.toContain("/opt/wheels");
    expect(plain).not.toContain("sources.txt");
  });

  it("the build step: without isolation first, with isolation when that fails, and a package neither builds stops the build", () => {
    const step = runSteps(docker).find((s) => s.stage === "dev" && s.shell.includes("pip wheel"))!;
    const root = tempDir("cs-src-run-");
    const bin = join(root, "bin");
    mkdirSync(bin);
    // pip: logs its calls; a package with "hatch" in its name has no build backend here (fails
    // without isolation), one with "broken" fails both ways; others build a wheel.
    writeFileSync(join(bin, "pip"), `#!/bin/bash\necho "pip FORCE_CUDA=$FORCE_CUDA $*" >>"$LOG"\nreq="\${@: -1}"\ncase "$req" in *broken*) exit 1 ;; *hatch*) [[ " $* " == *" --no-build-isolation "* ]] && exit 1 ;; esac\ntouch /tmp/none 2>/dev/null; exit 0\n`);
    writeFileSync(join(bin, "uv"), `#!/bin/bash\necho "uv $*" >>"$LOG"\n`);
    chmodSync(join(bin, "pip"), 0o755);
    chmodSync(join(bin, "uv"), 0o755);
    const run = (reqs: string[]) => {
      const log = join(root, `log-${reqs.length}-${reqs[0]!.length}`);
      writeFileSync(join(root, "sources.txt"), reqs.join("\n") + "\n");
      // The wheels go to a folder of the test's own (this machine may have an /opt/wheels of its own).
      const shell = step.shell.replace(/\/tmp\/project\/sources\.txt/g, join(root, "sources.txt")).replace(/\/opt\/wheels/g, "/WHEELS");
      const r = spawnSync("bash", ["-c", shell.replace(/\/WHEELS/g, join(root, "wheels"))], { env: { PATH: `${bin}:/usr/bin:/bin`, LOG: log }, encoding: "utf8" });
      return { code: r.status, calls: readFileSync(log, "utf8").trim().split("\n").map((c) => c.split(join(root, "wheels")).join("/opt/wheels")) };
    };
    const ok = run(["detectron2 @ git+https://x/detectron2.git", "hatchpkg @ git+https://x/hatchpkg.git"]);
    expect(ok.code).toBe(0);
    expect(ok.calls).toEqual([
      expect.stringMatching(/^uv pip install .* packaging ninja wheel$/),
      "pip FORCE_CUDA=1 wheel --no-deps --no-build-isolation --wheel-dir /opt/wheels detectron2 @ git+https://x/detectron2.git",
      "pip FORCE_CUDA=1 wheel --no-deps --no-build-isolation --wheel-dir /opt/wheels hatchpkg @ git+https://x/hatchpkg.git",
      "pip FORCE_CUDA=1 wheel --no-deps --wheel-dir /opt/wheels hatchpkg @ git+https://x/hatchpkg.git",
      expect.stringMatching(/^uv pip install .*\/opt\/wheels\/\*\.whl$/),
    ]);
    const bad = run(["brokenpkg @ git+https://x/broken.git", "detectron2 @ git+https://x/detectron2.git"]);
    expect(bad.code).not.toBe(0);
    expect(bad.calls.filter((c) => c.startsWith("uv ") && c.includes("/opt/wheels"))).toEqual([]);
    expect(bad.calls.some((c) => c.includes("detectron2"))).toBe(false);
  });
});

describe("the H200 record (fixtures/source-build)", () => {
  const dir = join(import.meta.dirname, "..", "fixtures/source-build");
  it("loop.sh is still the dev stage's build step the renderer writes", () => {
    const docker = renderProject("torch==2.5.1\nflash-attn==2.7.0\n");
    const step = runSteps(docker).find((s) => s.stage === "dev" && s.shell.includes("pip wheel"))!;
    const body = step.shell.replace(/^umask 0002 \\\n/, "");
    expect(readFileSync(join(dir, "loop.sh"), "utf8")).toBe(`set -e\numask 0002\n:${body}\n`);
  });
  it("the step built the extension's wheel with nvcc against the installed torch, and it ran on the GPU for sm_90", () => {
    const record = readFileSync(join(dir, "h200-source-build.txt"), "utf8");
    expect(record).toMatch(/^NVIDIA H200, 580\./m);
    const step = record.split("## the generated step (loop.sh)")[1]!.split("## the extension")[0]!;
    expect(step).toMatch(/^exit code: 0 /m);
    expect(step).toContain("Successfully built addone");
    expect(step).toContain("addone-0.1-cp312-cp312-linux_x86_64.whl");
    expect(record).toMatch(/^addone on NVIDIA H200 \[1\.0, 2\.0, 3\.0, 4\.0\]$/m);
    expect(record).toMatch(/sm_90\.cubin$/m);
    expect(record).toMatch(/sm_90\.ptx$/m);
  });
});


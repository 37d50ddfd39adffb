// The project reader on small made-up projects: each format's parsing, the CUDA hints and Python
// pins it finds, and bad input (an unparsable line names file and line; conflicting pins quote
// both; no framework says what was looked for; links out of the folder, FIFOs and huge files refused).
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { matrix } from "../src/matrix/data.js";
import { UserError } from "../src/errors.js";
import { readProject } from "../src/project/read-project.js";
import { resolveProject } from "../src/project/resolve-project.js";
import { evaluateMarker } from "../src/project/markers.js";
import { parseMatchSpec, condaToPip } from "../src/project/conda-env.js";
import { poetrySpec } from "../src/project/toml-files.js";
import { parseRequirement } from "../src/project/pep508.js";
import { tempDir } from "./support/cli.js";

function project(files: Record<string, string>): string {
  const dir = tempDir("cs-proj-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err.problems.map((p) => `[${p.code}] ${p.message}`);
    throw err;
  }
  throw new Error("did not fail");
}

const read = (files: Record<string, string>) => readProject(project(files), matrix);
const resolve = (files: Record<string, string>, extra: Record<string, unknown> = {}, allowUpgrade = false) =>
  resolveProject(read(files), { specs: [], folderName: "demo", name: "demo", project: { requirements: false, pyproject: false }, ...extra }, matrix, { recordDir: ".", allowUpgrade });

describe("requirements.txt", () => {
  it("reads pins, local tags, find-links, includes, markers, comments, editables and VCS lines", () => {
    const r = read({
      "requirements.txt": "# training\n-r requirements/base.txt\n--find-links https://download.pytorch.org/whl/torch_stable.html\ntorch==1.8.1+cu111  # the A100 build\ntorchvision==0.9.1+cu111\nscipy>=1.5 ; python_version >= \"3.7\"\npywin32==300; sys_platform == 'win32'\n-e git+https://github.com/openai/CLIP.git@main#egg=clip\n-e .\n--extra-index-url https://mirror.example/simple\nnumpy==1.20.3 \\\n  --hash=sha256:00\n",
      "requirements/base.txt": "tqdm\n",
    });
    expect(r.files.map((f) => f.path)).toEqual(["requirements.txt", "requirements/base.txt"]);
    expect(r.frameworks.map((p) => `${p.package}${p.spec}`)).toEqual(["torch==1.8.1"]);
    expect(r.cudaHints.map((h) => `${h.cuda} ${h.via}`)).toEqual(["11.1 +cu111", "11.1 +cu111"]);
    expect(r.dependencies.map((d) => d.line)).toEqual(["tqdm", 'scipy>=1.5 ; python_version >= "3.7"', "clip @ git+https://github.com/openai/CLIP.git@main", "-e .", "--extra-index-url https://mirror.example/simple", "numpy==1.20.3 --hash=sha256:00"]);
    expect(r.notInstalled.map((n) => n.origin.text)).toEqual(["pywin32==300; sys_platform == 'win32'"]);
    expect(r.rewrites.map((x) => x.why)).toEqual([expect.stringContaining("PyTorch index"), expect.stringContaining("not editable")]);
  });

  it.each([
    ["apex @ file:///home/tiger/apex", false],
    ["apex @ file://localhost/opt/apex", false],
    ["/opt/wheels/bar-1.0-py3-none-any.whl", false],
    ["file:///home/me/pkg", false],
    ["../sibling/pkg", false],
    ["lib @ file:///${PROJECT_ROOT}/libs/lib", true],
    ["./third_party/foo", true],
  ])("a path on the author's machine is left out with a note; one inside the project goes to the dev container: %s", (line, inside) => {
    const r = read({ "requirements.txt": `torch==2.1.2\n${line}\n` });
    expect(r.dependencies.filter((d) => d.kind === "local").map((d) => d.line)).toEqual(inside ? [line] : []);
    expect(r.dependencies.filter((d) => d.kind !== "local")).toEqual([]);
    expect(r.warnings.map((w) => w.message)).toEqual(inside ? [] : [`\`${line}\` (requirements.txt line 2) points outside the project (a path on the author's machine); it is not installed.`]);
  });

  it("keeps the pinned version and changes only the build a GPU forces, saying why", () => {
    const { req, res } = resolve({ "requirements.txt": "torch==1.9.0\n" }, { gpu: "a100" });
    expect(res.builds[0]!.label).toBe("torch 1.9.0+cu111");
    expect(req.project.read!.changes).toContain("torch 1.9.0: cu102 (the default build) → cu111 because a100 needs sm_80");
  });

  it("keeps a CUDA hint when the target allows it", () => {
    const { res, req } = resolve({ "requirements.txt": "torch==1.9.0+cu111\n" });
    expect(res.builds[0]!.label).toBe("torch 1.9.0+cu111");
    expect(req.project.read!.changes).toEqual([]);
  });

  it("refuses a pinned version no build of which runs on the target, naming the nearest that can; --allow-upgrade takes it", () => {
    expect(problems(() => resolve({ "requirements.txt": "torch==1.4.0\n" }, { gpu: "a100" })).join("\n")).toMatch(/nearest PyTorch version that can: torch 1\.7\.0/);
    const { res, req } = resolve({ "requirements.txt": "torch==1.4.0\n" }, { gpu: "a100" }, true);
    expect(res.builds[0]!.version).toBe("1.7.0");
    expect(req.project.read!.changes[0]).toMatch(/^torch 1\.4\.0 → 1\.7\.0 \(--allow-upgrade\)/);
  });

  // An unverified release (torch 2.15.0 in matrix/frameworks/torch.yaml) is taken by an exact pin only.
  it.each([
    { line: "torch>=2.0", range: /<=2\.14\.1$/, version: "2.14.1", unverified: false },
    { line: "torch==2.15.0", range: null, version: "2.15.0", unverified: true },
  ])("an unverified release only by an exact pin: $line", ({ line, range, version, unverified }) => {
    expect(matrix.frameworks.torch!.releases.find((r) => r.version === "2.15.0")?.verified).toBe(false);
    const { req, res } = resolve({ "requirements.txt": `${line}\n` });
    expect(res.builds[0]!.version).toBe(version);
    if (range) expect(req.specs[0]!.range).toMatch(range);
    expect(res.warnings.some((w) => w.code === "release-unverified")).toBe(unverified);
  });

  it("names the file and line of a line it cannot read", () => {
    expect(problems(() => read({ "requirements.txt": "numpy\ntorch===\n" }))).toEqual([expect.stringContaining("requirements.txt line 2")]);
    expect(problems(() => read({ "requirements.txt": "--frobnicate x\n" }))).toEqual([expect.stringContaining("requirements.txt line 1: `--frobnicate`")]);
    expect(problems(() => read({ "requirements.txt": "-r missing.txt\n" }))).toEqual([expect.stringContaining("requirements.txt line 1: includes missing.txt")]);
  });
});

describe("conda environment.yml", () => {
  it("reads pytorch=1.11.0 with cudatoolkit=11.3, python=3.8.5, channels and the pip section", () => {
    const r = read({ "environment.yml": "name: x\nchannels: [pytorch, conda-forge]\ndependencies:\n  - python=3.8.5\n  - pytorch::pytorch=1.11.0\n  - cudatoolkit=11.3\n  - ffmpeg\n  - numpy 1.21.*\n  - pip\n  - pip:\n    - einops==0.3.0\n" });
    expect(r.frameworks.map((p) => `${p.package}${p.spec}`)).toEqual(["torch==1.11.0"]);
    expect(r.cudaHints.map((h) => h.cuda)).toEqual(["11.3"]);
    expect(r.python.map((p) => p.spec)).toEqual(["==3.8.*"]);
    expect(r.condaOnly.map((o) => `${o.text} line ${o.line}`)).toEqual(["ffmpeg line 7"]);
    expect(r.dependencies.map((d) => d.line)).toEqual(["numpy==1.21.*", "einops==0.3.0"]);
    const { res, req } = resolve({ "environment.yml": "dependencies:\n  - python=3.8.5\n  - pytorch=1.11.0\n  - cudatoolkit=11.3\n  - ffmpeg\n" });
    expect(res.builds[0]!.label).toBe("torch 1.11.0+cu113");
    expect(res.plan.python.version).toBe("3.8");
    expect(req.project.read!.notes.join("\n")).toMatch(/conda-only packages with no PyPI equivalent are not installed: ffmpeg \(environment\.yml line 5\)/);
  });

  it("reads pytorch-cuda, tensorflow-gpu==1.15 and build strings", () => {
    expect(parseMatchSpec("pytorch=1.11.0=py3.8_cuda11.3_cudnn8.2.0_0")).toEqual({ channel: null, name: "pytorch", version: "1.11.0", build: "py3.8_cuda11.3_cudnn8.2.0_0" });
    expect(condaToPip("1.15")).toBe("==1.15.*");
    expect(condaToPip("==1.15")).toBe("==1.15");
    expect(read({ "environment.yml": "dependencies:\n  - pytorch-cuda=11.8\n  - pytorch\n" }).cudaHints.map((h) => h.cuda)).toEqual(["11.8"]);
    expect(read({ "environment.yml": "dependencies:\n  - tensorflow-gpu==1.15\n" }).frameworks.map((p) => `${p.package}${p.spec}`)).toEqual(["tensorflow-gpu==1.15"]);
  });

  it("names the line of invalid YAML", () => {
    expect(problems(() => read({ "environment.yml": "dependencies:\n  - numpy\n   - bad: [\n" }))[0]).toMatch(/environment\.yml line [0-9]+: is not valid YAML/);
  });
});

describe("setup.py, setup.cfg, pyproject.toml, Pipfile and lock files", () => {
  it("reads install_requires and python_requires statically, and reports what is computed", () => {
    const r = read({ "setup.py": "from setuptools import setup\nREQS = ['tensorflow==2.12.0', \"numpy>=1.22\"]\nsetup(name='x', install_requires=REQS, python_requires='>=3.8', extras_require={'dev': [f'x=={v}']})\n" });
    expect(r.frameworks.map((p) => `${p.package}${p.spec}`)).toEqual(["tensorflow==2.12.0"]);
    expect(r.python.map((p) => p.spec)).toEqual([">=3.8"]);
    const computed = read({ "setup.py": "setup(install_requires=[l.strip() for l in open('requirements.txt')])\n" });
    expect(computed.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/setup\.py line 1: install_requires is computed/)]);
  });

  it("reads setup.cfg [options]", () => {
    const r = read({ "setup.cfg": "[metadata]\nname = x\n[options]\npython_requires = >=3.9\ninstall_requires =\n    torch>=2.0\n    einops\n" });
    expect(r.frameworks.map((p) => `${p.package}${p.spec}`)).toEqual(["torch>=2.0"]);
    expect(r.dependencies.map((d) => d.line)).toEqual(["einops"]);
  });

  it("reads PEP 621 with jax[cuda12]==0.4.30, and Poetry's tables", () => {
    const r = read({ "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.10"\ndependencies = ["jax[cuda12]==0.4.30", "optax"]\n' });
    expect(r.frameworks.map((p) => `${p.package}${p.spec}`)).toEqual(["jax==0.4.30"]);
    expect(r.cudaHints.map((h) => h.cuda)).toEqual(["12"]);
    const { res } = resolve({ "pyproject.toml": '[project]\nname = "x"\ndependencies = ["jax[cuda12]==0.4.30"]\n' });
    expect(res.builds[0]!.version).toBe("0.4.30");
    const poetry = read({ "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.9"\ntorch = {version = "^1.12", source = "torch"}\nnumpy = "~1.23.1"\n[[tool.poetry.source]]\nname = "torch"\nurl = "https://download.pytorch.org/whl/cu116"\n' });
    expect(poetry.frameworks.map((p) => `${p.package}${p.spec}`)).toEqual(["torch>=1.12,<2"]);
    expect(poetry.cudaHints.map((h) => h.cuda)).toEqual(["11.6"]);
    expect(poetry.dependencies.map((d) => d.line)).toEqual(["numpy>=1.23.1,<1.24"]);
    expect(poetrySpec("^0.4.2")).toBe(">=0.4.2,<0.5");
  });

  it("reads a Pipfile, and names the line of invalid TOML", () => {
    const r = read({ Pipfile: '[[source]]\nname = "pytorch"\nurl = "https://download.pytorch.org/whl/cu113/"\n[packages]\ntorch = {index = "pytorch", version = "==1.11.0+cu113"}\nnumpy = "*"\n[requires]\npython_version = "3.8"\n' });
    expect(r.frameworks.map((p) => `${p.package}${p.spec}`)).toEqual(["torch==1.11.0"]);
    expect(r.cudaHints.map((h) => h.cuda)).toEqual(["11.3", "11.3"]);
    expect(r.python.map((p) => p.spec)).toEqual(["==3.8.*"]);
    expect(problems(() => read({ "pyproject.toml": "[project]\ndependencies = [\n" }))[0]).toMatch(/pyproject\.toml line [0-9]+: is not valid TOML/);
  });

  it("narrows a range with uv.lock's pin", () => {
    const r = read({ "pyproject.toml": '[project]\nname = "x"\ndependencies = ["torch>=2.0", "numpy"]\n', "uv.lock": 'version = 1\n[[package]]\nname = "torch"\nversion = "2.1.2+cu121"\nsource = { registry = "https://download.pytorch.org/whl/cu121" }\n[[package]]\nname = "numpy"\nversion = "1.26.4"\n' });
    const { res, req } = resolveProject(r, { specs: [], folderName: "x", name: "x", project: { requirements: false, pyproject: false } }, matrix, { recordDir: ".", allowUpgrade: false });
    expect(res.builds[0]!.label).toBe("torch 2.1.2+cu121");
    expect(req.project.read!.install).toEqual(["numpy==1.26.4"]);
  });
});

describe("bad projects", () => {
  it("refuses conflicting pins across files, quoting both", () => {
    const msg = problems(() => read({ "requirements.txt": "torch==1.8.1+cu111\n", "environment.yml": "dependencies:\n  - pytorch=1.11.0\n" })).join("\n");
    expect(msg).toMatch(/\[conflict\].*`pytorch=1\.11\.0` \(environment\.yml line 2\) and `torch==1\.8\.1\+cu111` \(requirements\.txt line 1\)/);
  });

  it("says so when no framework is named, and lists what it looked for", () => {
    const msg = problems(() => resolve({ "requirements.txt": "numpy\n" })).join("\n");
    expect(msg).toMatch(/\[unknown-framework\] No framework found .* read requirements\.txt and looked there for torch \(pytorch\), tensorflow/);
  });

  it("refuses a link out of the folder, a FIFO and a huge file", () => {
    const outside = project({ "requirements.txt": "torch\n" });
    const dir = project({});
    symlinkSync(join(outside, "requirements.txt"), join(dir, "requirements.txt"));
    expect(problems(() => readProject(dir, matrix))).toEqual([expect.stringMatching(/\[unsafe-path\] requirements\.txt is a symbolic link to .* outside the project folder/)]);
    const fifo = project({});
    execFileSync("mkfifo", [join(fifo, "requirements.txt")]);
    expect(problems(() => readProject(fifo, matrix))).toEqual([expect.stringMatching(/\[unsafe-path\] requirements\.txt is a FIFO/)]);
    expect(problems(() => read({ "requirements.txt": `${"x".repeat(2 * 1024 * 1024)}\n` }))).toEqual([expect.stringMatching(/larger than 1 MiB/)]);
  });

  it("allows a link inside the folder", () => {
    const dir = project({ "reqs/gpu.txt": "torch==2.1.2\n" });
    symlinkSync(join(dir, "reqs/gpu.txt"), join(dir, "requirements.txt"));
    expect(readProject(dir, matrix).frameworks.map((p) => p.spec)).toEqual(["==2.1.2"]);
  });
});

describe("pieces", () => {
  it.each([
    ['python_version < "3.8"', null],
    ["sys_platform == 'linux' and platform_machine == 'x86_64'", true],
    ['platform_system == "Windows" or sys_platform == "darwin"', false],
    ['(sys_platform == "darwin") and python_version >= "3.8"', false],
    ["extra == 'gpu'", null],
  ] as const)("marker %s is %s on Linux x86_64", (marker, value) => {
    expect(evaluateMarker(marker)).toBe(value);
  });

  it("parses PEP 508 requirements", () => {
    expect(parseRequirement("jax[cuda12_pip] >= 0.4.8, <0.5 ; python_version>='3.9'")).toMatchObject({ name: "jax", extras: ["cuda12_pip"], spec: ">=0.4.8,<0.5", marker: "python_version>='3.9'" });
    expect(parseRequirement("pytorchvideo @ git+https://github.com/facebookresearch/pytorchvideo.git@6cdc92")).toMatchObject({ name: "pytorchvideo", url: "git+https://github.com/facebookresearch/pytorchvideo.git@6cdc92" });
    expect(parseRequirement("torch===")).toBeNull();
  });
});

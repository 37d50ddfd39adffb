// The upstream refresh (scripts/refresh/): parser tables, the recorded fixtures, and offline runs of
// the script on fixtures/upstream — against a frozen miniature matrix (exact findings) and against the
// real matrix/ (which must come out unchanged). No test touches the network.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./support/shared.js";
import { tempDir } from "./support/cli.js";

const SCRIPT = join(ROOT, "scripts/refresh/refresh.mjs");
const FIXTURES = join(ROOT, "fixtures/upstream");
const DATE = "2026-12-01";

// The scripts are plain ESM; their shapes are described here, where the test uses them.
type Fn = (...args: any[]) => any;
async function load(name: string): Promise<Record<string, Fn>> {
  return (await import(pathToFileURL(join(ROOT, "scripts/refresh", name)).href)) as Record<string, Fn>;
}
const wheel = await load("wheel-filename.mjs");
const simple = await load("simple-index.mjs");
const redist = await load("nvidia-redist.mjs");
const tags = await load("container-tags.mjs");
const pypi = await load("pypi-json.mjs");
const paths = await load("fixture-path.mjs");
const frameworks = await load("diff-frameworks.mjs");
const images = await load("diff-images.mjs");

interface Finding {
  group: string;
  section: string;
  key: string;
  title: string;
  details: string[];
  sources: string[];
}
interface Result {
  exitCode: number;
  summary: Record<string, number>;
  findings: Finding[];
  sources: { url: string; status: string }[];
  report: string;
}

function run(args: string[]) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8", env: { ...process.env, CUDA_SCAFFOLD_UPSTREAM_DIR: "" } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function treeHash(dir: string): string {
  const h = createHash("sha256");
  for (const f of files(dir)) h.update(relative(dir, f)).update("\0").update(readFileSync(f)).update("\0");
  return h.digest("hex");
}

describe("wheel file names (PEP 427)", () => {
  it.each([
    ["torch-2.14.0+cu130-cp314-cp314t-manylinux_2_28_x86_64.whl", { name: "torch", version: "2.14.0+cu130", publicVersion: "2.14.0", local: "cu130", cuda: "13.0", pythons: ["3.14"], freeThreaded: true, platformTags: ["manylinux_2_28_x86_64"] }],
    ["numpy-2.3.1-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", { publicVersion: "2.3.1", local: null, pythons: ["3.12"], platformTags: ["manylinux_2_17_x86_64", "manylinux2014_x86_64"] }],
    ["jaxlib-0.4.26+cuda12.cudnn89-cp312-cp312-manylinux2014_x86_64.whl", { local: "cuda12.cudnn89", cuda: "12" }],
    ["jaxlib-0.1.69+cuda111-cp39-none-manylinux2010_x86_64.whl", { cuda: "11.1", abiTags: ["none"], pythons: ["3.9"] }],
    ["torch-1.0.0-cp37-cp37m-linux_x86_64.whl", { abiTags: ["cp37m"], pythons: ["3.7"], cuda: null, build: null }],
    ["torch-1.8.0+cu80-cp36-cp36m-linux_x86_64.whl", { cuda: "8.0" }],
    ["tensorflow_gpu-2.0.0-cp37-cp37m-manylinux2010_x86_64.whl", { name: "tensorflow-gpu" }],
    ["paddlepaddle_gpu-2.4.2.post117-cp310-cp310-manylinux1_x86_64.whl", { name: "paddlepaddle-gpu", publicVersion: "2.4.2.post117", local: null }],
    ["six-1.16.0-py2.py3-none-any.whl", { pythonTags: ["py2", "py3"], pythons: [], platformTags: ["any"] }],
    ["pkg-1.0-1-py3-none-any.whl", { build: "1", version: "1.0" }],
    ["torch-2.15.0-cp312-none-macosx_11_0_arm64.whl", { abiTags: ["none"], platformTags: ["macosx_11_0_arm64"] }],
  ])("%s", (filename, expected) => {
    expect(wheel.parseWheelFilename!(filename)).toMatchObject(expected);
  });

  it.each(["torch-2.0.0.tar.gz", "not-a-wheel.whl", "torch-2.0.0-cp310-linux_x86_64.whl"])("%s is not a wheel name", (filename) => {
    expect(wheel.parseWheelFilename!(filename)).toBeNull();
  });

  it.each([
    ["cu80", "8.0"], ["cu92", "9.2"], ["cu102", "10.2"], ["cu118", "11.8"], ["cu130", "13.0"], ["cuda112", "11.2"], ["cuda12.cudnn91", "12"], ["cpu", null], [null, null],
  ])("local label %s → CUDA %s", (local, cuda) => {
    expect(wheel.cudaOfLocal!(local)).toBe(cuda);
  });
});

describe("simple repository pages (PEP 503 HTML, PEP 691 JSON)", () => {
  const html = [
    "<!DOCTYPE html>",
    "<html>",
    "  <body>",
    "    <h1>Links for torch</h1>",
    '    <a href="/whl/cu130/torch-2.14.0%2Bcu130-cp312-cp312-manylinux_2_28_x86_64.whl#sha256=ABC123" data-dist-info-metadata="sha256=def" data-core-metadata="sha256=def">torch-2.14.0+cu130-cp312-cp312-manylinux_2_28_x86_64.whl</a><br/>',
    "    <a href='torch-2.13.0-cp39-cp39-linux_x86_64.whl' data-requires-python=\"&gt;=3.9\" data-yanked>torch-2.13.0-cp39-cp39-linux_x86_64.whl</a><br/>",
    '    <a href="https://storage.googleapis.com/jax-releases/cuda12/jaxlib-0.4.26%2Bcuda12.cudnn89-cp312-cp312-manylinux2014_x86_64.whl">cuda12/jaxlib-0.4.26+cuda12.cudnn89-cp312-cp312-manylinux2014_x86_64.whl</a>',
    "  </body>",
    "</html>",
  ].join("\n");

  it("reads anchors, hash fragments, data attributes and relative links", () => {
    const page = simple.parseSimpleHtml!(html, "https://download.pytorch.org/whl/cu130/torch/");
    expect(page.files).toEqual([
      { filename: "torch-2.14.0+cu130-cp312-cp312-manylinux_2_28_x86_64.whl", url: "https://download.pytorch.org/whl/cu130/torch-2.14.0%2Bcu130-cp312-cp312-manylinux_2_28_x86_64.whl", hashes: { sha256: "abc123" }, requiresPython: null, yanked: false, uploadTime: null },
      { filename: "torch-2.13.0-cp39-cp39-linux_x86_64.whl", url: "https://download.pytorch.org/whl/cu130/torch/torch-2.13.0-cp39-cp39-linux_x86_64.whl", hashes: {}, requiresPython: ">=3.9", yanked: true, uploadTime: null },
      { filename: "jaxlib-0.4.26+cuda12.cudnn89-cp312-cp312-manylinux2014_x86_64.whl", url: "https://storage.googleapis.com/jax-releases/cuda12/jaxlib-0.4.26%2Bcuda12.cudnn89-cp312-cp312-manylinux2014_x86_64.whl", hashes: {}, requiresPython: null, yanked: false, uploadTime: null },
    ]);
  });

  it("reads a PEP 691 JSON page with PEP 700 versions, and refuses another major API version", () => {
    const doc = {
      meta: { "api-version": "1.1" },
      name: "jax-cuda13-plugin",
      versions: ["0.8.0", "0.11.0"],
      files: [
        { filename: "jax_cuda13_plugin-0.11.0-cp312-cp312-manylinux_2_27_x86_64.whl", url: "https://files.pythonhosted.org/packages/aa/bb/x/jax_cuda13_plugin-0.11.0-cp312-cp312-manylinux_2_27_x86_64.whl", hashes: { sha256: "00" }, "requires-python": ">=3.11", size: 1, "upload-time": "2026-07-16T01:02:03.000000Z", yanked: "broken" },
      ],
    };
    const page = simple.parseSimpleIndex!(JSON.stringify(doc), { contentType: "application/vnd.pypi.simple.v1+json", baseUrl: "https://pypi.org/simple/jax-cuda13-plugin/" });
    expect(page).toMatchObject({ name: "jax-cuda13-plugin", apiVersion: "1.1", versions: ["0.8.0", "0.11.0"] });
    expect(page.files[0]).toMatchObject({ requiresPython: ">=3.11", yanked: true, uploadTime: "2026-07-16T01:02:03.000000Z", hashes: { sha256: "00" } });
    expect(() => simple.parseSimpleJson!({ meta: { "api-version": "2.0" }, files: [] }, "https://x/")).toThrow(/version 2.0/);
    // HTML is recognised without a Content-Type too
    expect(simple.parseSimpleIndex!(html, { baseUrl: "https://download.pytorch.org/whl/cu130/torch/" }).files).toHaveLength(3);
  });
});

describe("other upstream formats", () => {
  it("NVIDIA's redist index and manifests", () => {
    const dir = join(FIXTURES, "developer.download.nvidia.com/compute/cuda/redist");
    const versions = redist.parseRedistListing!(readFileSync(join(dir, "index.html"), "utf8"));
    expect(versions).toContain("13.4.2");
    expect(versions.indexOf("12.9.1")).toBeLessThan(versions.indexOf("13.0.0"));
    expect(redist.parseRedistListing!(`<a href="redistrib_13.10.0.json">x</a><a href='redistrib_13.9.1.json.asc'>sig</a>`)).toEqual(["13.10.0"]);
    const m = redist.parseRedistManifest!(JSON.parse(readFileSync(join(dir, "redistrib_13.0.0.json"), "utf8")));
    expect(m).toMatchObject({ releaseDate: "2025-08-04", releaseLabel: "13.0.0", releaseProduct: "cuda" });
    expect(m.components.cuda_cudart).toMatchObject({ version: "13.0.48", platforms: { "linux-x86_64": { size: 1487372 } } });
  });

  it("NVIDIA's tag lists, in both list styles, and tag names", () => {
    const md = "## Unsupported tags\n\n### ubuntu24.04\n#### CUDA 12.5.1\n- `12.5.1-base-ubuntu24.04`\n- [`12.5.1-devel-ubuntu24.04` (*12.5.1/ubuntu24.04/devel/Dockerfile*)](https://x)\n### ubi9\n#### CUDA 13.0.0\n- `13.0.0-cudnn-runtime-ubi9`\n";
    expect(tags.parseTagList!(md)).toEqual({
      kind: "unsupported",
      entries: [
        { os: "ubuntu24.04", cuda: "12.5.1", tags: ["12.5.1-base-ubuntu24.04", "12.5.1-devel-ubuntu24.04"] },
        { os: "ubi9", cuda: "13.0.0", tags: ["13.0.0-cudnn-runtime-ubi9"] },
      ],
    });
    expect(tags.parseImageTag!("13.3.1-tensorrt-devel-ubuntu24.04")).toEqual({ cuda: "13.3.1", variant: "tensorrt", flavor: "devel", os: "ubuntu24.04" });
    expect(tags.parseImageTag!("11.0-cudnn8-runtime-centos7")).toEqual({ cuda: "11.0", variant: "cudnn8", flavor: "runtime", os: "centos7" });
    expect(tags.parseImageTag!("latest")).toBeNull();
  });

  it("PyPI's release JSON: classifiers, Requires-Dist and the CUDA it pins", () => {
    const rel = pypi.parsePypiRelease!(JSON.parse(readFileSync(join(FIXTURES, "pypi.org/pypi/torch/2.15.0/json.json"), "utf8")));
    expect(rel.classifierPythons).toEqual(["3.10", "3.11", "3.12", "3.13", "3.14"]);
    expect(pypi.cudaOfRequirements!(rel.requiresDist)).toBe("13.0");
    expect(pypi.parseRequirement!('cuda-bindings<14,>=13.0.3; platform_system == "Linux"')).toEqual({ name: "cuda-bindings", extras: [], spec: "<14,>=13.0.3", marker: 'platform_system == "Linux"' });
    expect(pypi.linuxRequirements!(['pyyaml; extra == "pyyaml"', 'pywin32; platform_system == "Windows"', "filelock"]).map((r: { name: string }) => r.name)).toEqual(["filelock"]);
  });
});

describe("fixtures/upstream", () => {
  const recorded = files(FIXTURES).filter((f) => !f.endsWith(".meta.json") && !f.endsWith(`${sep}README.md`));
  const EXT: Record<string, string> = { ".json": "json", ".html": "html", ".md": "markdown", ".txt": "text" };

  it("holds recordings", () => {
    expect(recorded.length).toBeGreaterThanOrEqual(10);
  });

  it.each(recorded.map((f) => [relative(FIXTURES, f)]))("%s has its meta file, and its URL maps back to it", (rel) => {
    const metaFile = join(FIXTURES, `${rel}.meta.json`);
    expect(existsSync(metaFile)).toBe(true);
    const meta = JSON.parse(readFileSync(metaFile, "utf8"));
    expect(meta.url).toMatch(/^https:\/\//);
    expect(String(meta.capturedAt)).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
    expect(meta.capturedBy).toEqual(expect.any(String));
    expect(["recorded", "trimmed", "trimmed+edited", "hand-built"]).toContain(meta.provenance);
    expect(meta.formatSpec.length).toBeGreaterThan(0);
    expect(meta.basedOn).toEqual(expect.any(String));
    const format = EXT[rel.slice(rel.lastIndexOf("."))];
    expect(paths.fixturePath!(meta.url, format)).toBe(rel);
  });

  it.each([
    ["https://pypi.org/simple/torch/", "json", "pypi.org/simple/torch/index.json"],
    ["https://pypi.org/pypi/torch/2.15.0/json", "json", "pypi.org/pypi/torch/2.15.0/json.json"],
    ["https://hub.docker.com/v2/repositories/nvidia/cuda/tags?page_size=100", "json", "hub.docker.com/v2/repositories/nvidia/cuda/tags@page_size=100.json"],
    ["https://example.org/a%2F..%2Fb/", "html", "example.org/a%2F..%2Fb/index.html"],
  ])("maps %s", (url, format, expected) => {
    expect(paths.fixturePath!(url, format)).toBe(expected.split("/").join(sep));
  });
});

// A frozen miniature of matrix/: the offline run's findings depend only on it and on the fixtures,
// not on the curated data, which other work keeps changing.
function writeMiniMatrix(dir: string) {
  mkdirSync(join(dir, "frameworks"), { recursive: true });
  const torchBuild = (v: string, cuda: string, extra = "") =>
    `      - { cuda: "${cuda}", cudnn: "9.24.0.43", bundlesCuda: true, packages: [{ name: torch, version: ${v}+cu${cuda.replace(".", "")} }], indexUrl: https://download.pytorch.org/whl/cu${cuda.replace(".", "")}, arch: [], ptx: [], archSource: https://example.org${extra} }`;
  const torchRelease = (v: string) =>
    [`  - version: ${v}`, `    python: ["3.10", "3.11", "3.12", "3.13", "3.14"]`, "    source: https://example.org", "    builds:", torchBuild(v, "12.6"), torchBuild(v, "13.0", ", default: true, cudaWheels: [{ name: nvidia-cudnn-cu13, spec: \"==9.24.0.43\" }]"), torchBuild(v, "13.2")].join("\n");
  writeFileSync(join(dir, "frameworks/torch.yaml"), `framework: torch\nreleases:\n${torchRelease("2.14.0")}\n${torchRelease("2.14.1")}\n`);
  writeFileSync(join(dir, "frameworks/tensorflow.yaml"), `framework: tensorflow\nreleases:\n  - version: 2.21.0\n    python: ["3.10"]\n    builds:\n      - { cuda: "12.5", packages: [{ name: tensorflow, version: 2.21.0, extras: [and-cuda] }] }\n`);
  writeFileSync(join(dir, "frameworks/jax.yaml"), `framework: jax\nreleases:\n  - version: 0.11.0\n    python: ["3.12"]\n    builds:\n      - { cuda: "13.0", packages: [{ name: jax, version: "0.11.0" }] }\n`);
  writeFileSync(join(dir, "frameworks/paddle.yaml"), `framework: paddle\nreleases:\n  - version: 3.3.0\n    python: ["3.9", "3.10", "3.11", "3.12", "3.13"]\n    builds:\n      - { cuda: "13.0", packages: [{ name: paddlepaddle-gpu, version: "3.3.0" }], indexUrl: "https://www.paddlepaddle.org.cn/packages/stable/cu130/" }\n`);
  const cudaReleases = "11.4.4 11.5.2 11.6.2 11.7.1 11.8.0 12.0.1 12.1.1 12.2.0 12.3.0 12.3.1 12.3.2 12.4.0 12.4.1 12.5.0 12.5.1 12.6.0 12.6.1 12.6.2 12.6.3 12.8.0 12.8.1 12.8.2 12.9.0 12.9.1 12.9.2 13.0.0 13.0.1 13.0.2 13.0.3 13.1.0 13.1.1 13.2.0 13.2.1 13.2.2 13.3.0 13.3.1".split(" ");
  const minors = [...new Set(cudaReleases.map((v) => v.split(".").slice(0, 2).join(".")))];
  const toolkit = (m: string) =>
    `  - version: "${m}"\n    releases:\n${cudaReleases.filter((v) => v.startsWith(`${m}.`)).map((v) => `      - { version: ${v}, driver: "1"${v === "13.0.0" ? ', released: "2025-09"' : ""} }`).join("\n")}`;
  writeFileSync(join(dir, "cuda.yaml"), `toolkits:\n${minors.map(toolkit).join("\n")}\n`);
  const rows: [string, string, string][] = [
    ["12.5.1", "ubuntu24.04", "supported"], ["12.6.0", "ubuntu24.04", "eol"], ["12.6.1", "ubuntu24.04", "eol"], ["12.6.2", "ubuntu24.04", "eol"], ["12.6.3", "ubuntu24.04", "supported"],
    ["12.8.0", "ubuntu24.04", "eol"], ["12.8.1", "ubuntu24.04", "eol"], ["12.8.2", "ubuntu24.04", "supported"], ["12.9.0", "ubuntu24.04", "eol"], ["12.9.1", "ubuntu24.04", "eol"], ["12.9.2", "ubuntu24.04", "supported"],
    ["13.0.0", "ubuntu24.04", "eol"], ["13.0.1", "ubuntu24.04", "eol"], ["13.0.2", "ubuntu24.04", "eol"], ["13.0.3", "ubuntu24.04", "supported"], ["13.1.0", "ubuntu24.04", "eol"], ["13.1.1", "ubuntu24.04", "eol"],
    ["13.1.2", "ubuntu24.04", "supported"], ["13.2.0", "ubuntu24.04", "eol"], ["13.2.1", "ubuntu24.04", "supported"], ["13.3.0", "ubuntu24.04", "eol"], ["13.3.1", "ubuntu24.04", "supported"],
    ["13.3.0", "ubuntu26.04", "eol"], ["13.3.1", "ubuntu26.04", "supported"], ["13.3.1", "rockylinux9", "supported"], ["10.2", "ubuntu18.04", "deleted"],
  ];
  writeFileSync(join(dir, "images.yaml"), `images:\n${rows.map(([cuda, os, status]) => `  - { cuda: "${cuda}", os: ${os}, flavors: [base, runtime, devel], cudnn: [], status: ${status} }`).join("\n")}\n`);
  writeFileSync(join(dir, "platform.yaml"), "asOf: 2026-11-29\n");
}

describe("data:refresh offline on fixtures/upstream", () => {
  const work = tempDir("cs-refresh-");
  const mini = join(work, "matrix");
  writeMiniMatrix(mini);
  const before = treeHash(mini);
  const proposals = join(work, "proposals");
  const md = run(["--offline", FIXTURES, "--matrix", mini, "--date", DATE]);
  const js = run(["--offline", FIXTURES, "--matrix", mini, "--date", DATE, "--json", "--write-proposals", proposals]);
  const result = JSON.parse(js.stdout) as Result;
  const titles = result.findings.map((f) => f.title);

  it("exits 3 with a report of the differences, and leaves the matrix as it was", () => {
    expect(md.stderr).toMatch(/exit 3/);
    expect(md.code).toBe(3);
    expect(js.code).toBe(3);
    expect(treeHash(mini)).toBe(before);
    expect(md.stdout).toBe(result.report);
    expect(md.stdout).toContain("Nothing in matrix/ was changed");
  });

  it("lists the new release with its Pythons, CUDA builds and platforms", () => {
    expect(md.stdout).toMatch(/## New framework releases\n\n- \*\*torch 2\.15\.0 is on PyPI but not in matrix\/frameworks\/torch\.yaml\*\*/);
    const f = result.findings.find((x) => x.key === "torch 2.15.0");
    expect(f?.details).toEqual(
      expect.arrayContaining([
        "Python (classifiers): 3.10, 3.11, 3.12, 3.13, 3.14",
        "CUDA builds on the per-CUDA indexes: cu130 (2.15.0+cu130), cu132 (2.15.0+cu132), cu134 (2.15.0+cu134)",
        "PyPI wheel's CUDA (Requires-Dist): 13.0",
        "Linux platform tags: manylinux_2_28_aarch64, manylinux_2_28_x86_64",
      ]),
    );
    // a release found only on a vendor index
    expect(titles).toContain("paddle 3.3.1 is on PyPI/Paddle's index but not in matrix/frameworks/paddle.yaml");
  });

  it("lists the tag set whose lifecycle changed, and judges only the operating systems the recording covers", () => {
    expect(md.stdout).toMatch(/## Image tags that changed lifecycle\n\n- \*\*nvidia\/cuda 12\.5\.1 on ubuntu24\.04: images\.yaml says supported, NVIDIA's tag lists say eol\*\*/);
    expect(result.findings.filter((f) => f.group === "lifecycle").map((f) => f.key)).toEqual(["12.5.1 ubuntu24.04"]);
    expect(md.stdout).not.toContain("rockylinux9");
    expect(titles).toContain("nvidia/cuda 13.4.2 on ubuntu24.04 (supported) is not in images.yaml");
  });

  it("lists facts that disagree with curated rows", () => {
    expect(md.stdout).toContain("## Upstream facts that disagree with curated rows");
    expect(titles).toContain("torch 2.14.1 (CUDA 13.2) pins torch==2.14.1+cu132, which https://download.pytorch.org/whl/cu132/torch/ does not serve");
    expect(titles).toContain("CUDA 13.0.0: cuda.yaml says released 2025-09, NVIDIA's manifest says 2025-08-04");
    // pins of versions a recording does not speak for are not judged
    expect(titles.filter((t) => t.includes("does not serve"))).toHaveLength(1);
  });

  it("lists new CUDA releases from the manifests index and the tag lists", () => {
    const keys = result.findings.filter((f) => f.group === "new-cuda").map((f) => f.key);
    expect(keys).toEqual(["cuda 13.1.2", "cuda 13.4.1", "cuda 13.4.2"]);
  });

  it("writes proposed rows only into the proposals folder, marked for review", () => {
    const torch = readFileSync(join(proposals, "frameworks/torch.yaml"), "utf8");
    expect(torch).toContain("version: 2.15.0");
    expect(torch).toContain("source: https://pypi.org/pypi/torch/2.15.0/json");
    expect(torch).toContain(`note: proposed by data:refresh on ${DATE}, review before merging`);
    expect(files(proposals).map((f) => relative(proposals, f).split(sep).join("/"))).toEqual(["cuda.yaml", "frameworks/paddle.yaml", "frameworks/torch.yaml", "images.yaml"]);
  });

  it("reports every source it consulted, and is stable from run to run", () => {
    expect(result.sources.find((s) => s.url === "https://pypi.org/simple/torch/")?.status).toBe("ok");
    expect(result.sources.find((s) => s.url === "https://pypi.org/simple/jax/")?.status).toBe("not-recorded");
    expect(run(["--offline", FIXTURES, "--matrix", mini, "--date", DATE]).stdout).toBe(md.stdout);
  });
});

describe("data:refresh against the real matrix/", () => {
  const matrixDir = join(ROOT, "matrix");

  it("never writes matrix/, and refuses a proposals folder inside it", () => {
    const before = treeHash(matrixDir);
    const r = run(["--offline", FIXTURES, "--date", DATE, "--json"]);
    const refused = run(["--offline", FIXTURES, "--write-proposals", join(matrixDir, "proposals")]);
    expect(treeHash(matrixDir)).toBe(before);
    expect([0, 3]).toContain(r.code);
    const result = JSON.parse(r.stdout) as Result;
    expect(result.exitCode).toBe(r.code);
    for (const f of result.findings) expect(f.sources.length, f.title).toBeGreaterThan(0);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("never writes matrix/");
  });

  it("exits 2 on unknown arguments", () => {
    const r = run(["--frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("usage: data:refresh");
  });
});

describe("the fetch layer, live mode with a stand-in fetch", () => {
  const fetchLayer = load("fetch-upstream.mjs");
  type Upstream = { get: (req: { url: string; format: string; purpose: string }) => Promise<{ status: string; body?: string; error?: string }>; log: unknown[] };
  const make = async (impl: (url: string) => Response, extra: Record<string, unknown> = {}) =>
    (await fetchLayer).createUpstream!({ fetchImpl: async (url: string) => impl(url), retryDelayMs: 1, ...extra }) as Upstream;

  it("retries a 503 once, caches answers, maps 404 to not-found", async () => {
    let calls = 0;
    const up = await make((url) => (url.endsWith("/gone") ? new Response("", { status: 404 }) : ++calls === 1 ? new Response("", { status: 503 }) : new Response("ok")));
    expect(await up.get({ url: "https://x.test/a", format: "text", purpose: "t" })).toMatchObject({ status: "ok", body: "ok" });
    expect(await up.get({ url: "https://x.test/a", format: "text", purpose: "t" })).toMatchObject({ status: "ok" });
    expect(calls).toBe(2);
    expect(await up.get({ url: "https://x.test/gone", format: "text", purpose: "t" })).toMatchObject({ status: "not-found" });
    expect(up.log).toHaveLength(2);
  });

  it("gives up after one retry, and caps response size and request count", async () => {
    let calls = 0;
    const failing = await make(() => (calls++, new Response("", { status: 502 })));
    expect(await failing.get({ url: "https://x.test/b", format: "text", purpose: "t" })).toMatchObject({ status: "error", error: "HTTP 502" });
    expect(calls).toBe(2);
    const big = await make(() => new Response("x".repeat(2048)), { maxBytes: 1024 });
    expect((await big.get({ url: "https://x.test/c", format: "text", purpose: "t" })).error).toMatch(/cap/);
    const budget = await make(() => new Response("ok"), { maxRequests: 1 });
    await budget.get({ url: "https://x.test/d", format: "text", purpose: "t" });
    expect((await budget.get({ url: "https://x.test/e", format: "text", purpose: "t" })).error).toMatch(/budget/);
  });
});

describe("diff stages on inline data", () => {
  it("a CUDA variant on an index that a recent release does not list is a new build", () => {
    const fw = { framework: "torch", releases: [{ version: "2.14.0", python: ["3.12"], builds: [{ cuda: "13.0", packages: [{ name: "torch", version: "2.14.0+cu130" }], indexUrl: "https://download.pytorch.org/whl/cu130" }] }] };
    const w = wheel.parseWheelFilename!("torch-2.14.0+cu134-cp312-cp312-manylinux_2_28_x86_64.whl");
    const up = {
      framework: "torch",
      plan: { releaseProject: "torch", pluginProjects: {} },
      simple: {},
      releases: {},
      indexes: [{ cuda: "13.4", indexUrl: "https://download.pytorch.org/whl/cu134", url: "https://download.pytorch.org/whl/cu134/torch/", status: "ok", subset: null, versions: [], wheels: [w] }],
      findLinks: [],
    };
    const found = frameworks.diffFramework!(fw, up, DATE) as Finding[];
    expect(found.map((f) => [f.group, f.key])).toEqual([["new-build", "torch 2.14.0 cu134"]]);
  });

  it("a curated tag re-pushed after asOf is reported, a deleted one still served is a disagreement", () => {
    const curated = { images: [{ cuda: "13.3.1", os: "ubuntu24.04", status: "supported" }, { cuda: "11.2.0", os: "ubuntu20.04", status: "deleted" }] };
    const hubTag = (name: string, lastUpdated: string) => ({ name, lastUpdated, digest: "sha256:1", status: "active", parsed: tags.parseImageTag!(name) });
    const up = {
      supported: { status: "not-recorded", entries: [], url: "s" },
      unsupported: { status: "not-recorded", entries: [], url: "u" },
      hub: { pages: [{ url: "hub", status: "ok" }], complete: false, tags: [hubTag("13.3.1-base-ubuntu24.04", "2026-12-01T00:00:00Z"), hubTag("11.2.0-base-ubuntu20.04", "2023-01-01T00:00:00Z")] },
    };
    const found = images.diffImages!(curated, up, "2026-11-29", DATE) as Finding[];
    expect(found.map((f) => [f.group, f.key])).toEqual([
      ["disagreement", "11.2.0 ubuntu20.04 deleted"],
      ["rebuilt", "13.3.1 ubuntu24.04"],
    ]);
  });
});

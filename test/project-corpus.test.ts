// The corpus: real dependency files from public research repositories (fixtures/projects/<slug>/,
// each with SOURCE.json naming the repository, commit and licence). Each has a golden resolution:
// what the reader derives (files, request, the lines installed after the framework, every change and
// note) and the resolved stack, for the default target and for an A100 (sm_80), compared byte for byte.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { matrix } from "../src/matrix/data.js";
import { UserError } from "../src/errors.js";
import { readProject } from "../src/project/read-project.js";
import { resolveProject } from "../src/project/resolve-project.js";
import { requestLine, requestArgs } from "../src/render/header.js";
import { stackSummary } from "../src/render/views.js";
import { ROOT } from "./support/shared.js";

const CORPUS = "fixtures/projects";
const cases = readdirSync(join(ROOT, CORPUS)).sort();

function resolution(slug: string, opts: { gpu?: string; allowUpgrade?: boolean } = {}): string[] {
  const dir = `${CORPUS}/${slug}`;
  try {
    const reading = readProject(join(ROOT, dir), matrix);
    reading.dir = dir;
    const base = { specs: [], folderName: slug, name: "demo", project: { requirements: false, pyproject: false }, ...(opts.gpu ? { gpu: opts.gpu } : {}) };
    const { req, res } = resolveProject(reading, base, matrix, { recordDir: ".", allowUpgrade: !!opts.allowUpgrade });
    const rec = req.project.read!;
    return [
      `request: ${requestLine(req)}${req.cuda ? ` (CUDA ${req.cuda})` : ""}${req.python ? ` (Python ${req.python})` : ""}`,
      `regenerate: cuda-scaffold ${requestArgs(req).join(" ")}`,
      `stack: ${stackSummary(res)}`,
      `image: ${res.image}`,
      `install (${rec.install.length}):`,
      ...rec.install.map((l) => `  ${l}`),
      ...(rec.local.length ? ["local:", ...rec.local.map((l) => `  ${l}`)] : []),
      ...(rec.changes.length ? ["changes:", ...rec.changes.map((c) => `  ~ ${c}`)] : []),
      ...(rec.notes.length ? ["notes:", ...rec.notes.map((n) => `  - ${n}`)] : []),
    ];
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return ["refused (exit 1):", ...err.problems.map((p) => `  [${p.code}] ${p.message}${p.hint ? `\n    hint: ${p.hint}` : ""}`)];
  }
}

describe("the corpus", () => {
  it("holds at least 25 real projects, each with its source, commit and licence", () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    for (const slug of cases) {
      const source = JSON.parse(readFileSync(join(ROOT, CORPUS, slug, "SOURCE.json"), "utf8"));
      expect(source.repository, slug).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+$/);
      expect(source.commit, slug).toMatch(/^[0-9a-f]{40}$/);
      expect(source.licence, slug).toBeTruthy();
      expect(source.files.length, slug).toBeGreaterThan(0);
    }
  });

  it("covers conda and pip, the torch, TensorFlow, JAX and Paddle eras, ranges, markers and local tags", () => {
    const all = cases.map((slug) => readdirSync(join(ROOT, CORPUS, slug)).filter((f) => f !== "SOURCE.json" && f !== "golden.txt").map((f) => readFileSync(join(ROOT, CORPUS, slug, f), "utf8")).join("\n"));
    const some = (re: RegExp) => all.some((text) => re.test(text));
    expect(some(/^dependencies:/m)).toBe(true); // conda
    expect(some(/pytorch=1\.11\.0/) && some(/cudatoolkit=11\.3/)).toBe(true);
    expect(some(/^tensorflow(-gpu)?\s*==\s*1\./m)).toBe(true);
    expect(some(/jax\[cuda/)).toBe(true);
    expect(some(/paddlepaddle/)).toBe(true);
    expect(some(/>=\s*[0-9]/)).toBe(true); // ranges
    expect(some(/;\s*\(?(platform_machine|python_version|sys_platform)/)).toBe(true); // markers
    expect(some(/\+cu1[0-9]{2}/)).toBe(true); // local tags
    expect(some(/\[tool\.poetry\.dependencies\]/) && some(/\[tool\.uv\.sources\]/)).toBe(true);
  });
});

describe.each(cases)("%s", (slug) => {
  it("has a golden resolution", async () => {
    const text = [`# ${slug}: what cuda-scaffold reads and resolves (test/project-corpus.test.ts)`, "", "## default target", ...resolution(slug), "", "## --gpu a100", ...resolution(slug, { gpu: "a100" }), "", "## --gpu a100 --allow-upgrade", ...resolution(slug, { gpu: "a100", allowUpgrade: true }), ""].join("\n");
    await expect(text).toMatchFileSnapshot(`../${CORPUS}/${slug}/golden.txt`);
  });
});

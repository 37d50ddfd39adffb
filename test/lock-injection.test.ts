// A lock is input (break-it 2026-12, round 3): every string the lock's request holds, set to a
// value with a line break in it, is either refused or written so that it stays on its line. A line
// break is any character some reader of a generated file ends a line at: "\n" for all of them,
// NEL (U+0085) for YAML 1.1 parsers (PyYAML, libyaml, go-yaml) and Python's splitlines (pip's
// requirements reader), U+2028 for JavaScript and YAML, and "\r", "\v" and "\f" for Python.
// Before, request.mirror.source went into the Dockerfile's and the host script's comments as it
// was: a lock could add a top-level command to the host script, which ran even with --help.
import { describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { tmpdir } from "node:os";
import { UserError } from "../src/errors.js";
import { generate, type GenerateOptions } from "../src/commands/generate.js";
import { check } from "../src/commands/check.js";
import { ROOT } from "./support/shared.js";

const LOCK = "cuda-scaffold.lock.json";
const BREAKS: [string, string][] = [
  ["\\n", "\n"],
  ["\\r", "\r"],
  ["NEL", "\u0085"],
  ["U+2028", "\u2028"],
  ["\\v", "\v"],
];
/** What a reader could take for the start of a line: every break above, and CR LF. */
const LINES = /\r\n|[\n\r\u0085\u2028\u2029\v\f]/;
const MARK = "INJECTED_LINE";

const quiet = () => {};

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "cs-inject-"));
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** Seeds: renders whose locks between them hold every kind of string a request records. */
function seeds(): { label: string; dir: string }[] {
  const work = tempDir();
  writeFileSync(join(work, "mirrors.yaml"), "endpoints:\n  pypi: https://pypi.example.com/simple\n");
  const project = join(work, "proj");
  cpSync(join(ROOT, "fixtures/projects/facebookresearch-detr"), project, { recursive: true });
  const made: [string, string[], GenerateOptions][] = [
    ["mirror file", ["torch@2.5.1"], { mirror: join(work, "mirrors.yaml"), gpus: "0,1", name: "seed" }],
    ["cluster files", ["jax@0.4.30"], { with: "k8s,slurm", gpus: "4", registry: "registry.example.com/team", runtimeClass: "nvidia", gpu: "a100,h100" }],
    ["project", [], { project }],
  ];
  return made.map(([label, specs, opts]) => {
    const dir = join(work, label.replace(/ /g, "-"));
    expect(generate(specs, { ...opts, out: dir }, quiet), label).toBe(0);
    return { label, dir };
  });
}

/** Every string in the lock's request, by its path of keys. */
function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === "string") return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...path, i]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...path, k]));
  return [];
}

function setAt(root: any, path: (string | number)[], value: string): void {
  let at = root;
  for (const k of path.slice(0, -1)) at = at[k];
  at[path[path.length - 1]!] = value;
}

/** Runs a regeneration from the lock: "refused" (a UserError), or the files it wrote. */
function regenerate(dir: string): "refused" | string[] {
  try {
    generate([], { out: dir }, quiet);
  } catch (err) {
    if (err instanceof UserError) return "refused";
    throw err;
  }
  return files(dir);
}

describe("a lock's strings cannot add lines to the files made from it", () => {
  const all = seeds();
  const cases: { label: string; dir: string; path: (string | number)[] }[] = [];
  const seen = new Set<string>();
  for (const seed of all) {
    const lock = JSON.parse(readFileSync(join(seed.dir, LOCK), "utf8"));
    for (const path of stringPaths(lock.request, ["request"])) {
      const key = path.map((k) => (typeof k === "number" ? "#" : k)).join(".");
      if (seen.has(key)) continue;
      seen.add(key);
      cases.push({ label: seed.label, dir: seed.dir, path });
    }
  }

  it("covers the strings that reach comments (mirror source, project folder) and the rest", () => {
    const keys = [...seen];
    expect(keys).toEqual(expect.arrayContaining(["request.mirror.source", "request.name", "request.gpus", "request.project.read.dir", "request.specs.#.name"]));
    expect(keys.length).toBeGreaterThan(15);
  });

  it.each(cases.map((c) => [c.path.join("."), c] as const))("%s", (_, c) => {
    for (const [name, brk] of BREAKS) {
      const dir = tempDir();
      cpSync(c.dir, dir, { recursive: true });
      const lockFile = join(dir, LOCK);
      const lock = JSON.parse(readFileSync(lockFile, "utf8"));
      let original = lock;
      for (const k of c.path) original = original[k];
      setAt(lock, c.path, `${original as string}${brk}${MARK} x${brk}#`);
      writeFileSync(lockFile, JSON.stringify(lock, null, 2));
      const result = regenerate(dir);
      if (result === "refused") continue;
      for (const file of result) {
        const lines = readFileSync(file, "utf8").split(LINES);
        const injected = lines.filter((l) => l.trimStart().startsWith(MARK));
        expect(injected, `${relative(dir, file)} gained a line from ${c.path.join(".")} through ${name}`).toEqual([]);
      }
      // What was written is what check then calls up to date, or check says it is not.
      expect([0, 2], name).toContain(check({ out: dir }, quiet));
    }
  });
});

describe("typed paths with a line break are refused before anything is written", () => {
  const work = tempDir();
  writeFileSync(join(work, "plain.yaml"), "endpoints:\n  pypi: https://pypi.example.com/simple\n");
  it.each(BREAKS)("--mirror and --project through %s", (_, brk) => {
    const mirror = join(work, `m${brk}${MARK}.yaml`);
    cpSync(join(work, "plain.yaml"), mirror);
    const project = join(work, `p${brk}${MARK}`);
    cpSync(join(ROOT, "fixtures/projects/facebookresearch-detr"), project, { recursive: true });
    for (const [specs, opts] of [
      [["torch@2.5.1"], { mirror }],
      [[], { project }],
    ] as [string[], GenerateOptions][]) {
      const out = join(tempDir(), "out");
      expect(() => generate(specs, { ...opts, out }, quiet)).toThrow(/line break or a control character/);
      expect(() => statSync(out)).toThrow();
    }
  });
});

// The CLI's copy of the matrix (generated/data/, laid out by scripts/data-parts.mjs and read by
// src/matrix/data.ts) is the compiled matrix exactly, whichever parts were split or stored once.
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./support/shared.js";
import { matrix, restoreColumns as restore } from "../src/matrix/data.js";
// @ts-expect-error: a build script without type declarations
import { internColumns, INTERNED } from "../scripts/data-parts.mjs";

const withoutNotes = (v: unknown) => JSON.parse(JSON.stringify(v, (key, value) => (key === "note" || key === "notes" ? undefined : value)));

describe("the CLI's copy of the matrix", () => {
  it("reads back as the compiled matrix, every part and every release's builds", () => {
    const compiled = withoutNotes(JSON.parse(readFileSync(join(ROOT, "generated/matrix.json"), "utf8")));
    expect(JSON.parse(JSON.stringify(matrix))).toEqual(compiled);
  });

  it("keeps each framework's builds in a file per release, and the index without them", () => {
    const dir = join(ROOT, "generated/data/frameworks");
    for (const name of ["torch", "tensorflow", "jax", "paddle"]) {
      const index = restore(JSON.parse(readFileSync(join(dir, `${name}.releases.json`), "utf8"))) as { version: string; builds: unknown }[];
      expect(index.every((r) => JSON.stringify(r.builds) === JSON.stringify({ $file: `frameworks/${name}/${r.version}.builds.json` })), name).toBe(true);
      expect(readdirSync(join(dir, name)).sort()).toEqual(index.map((r) => `${r.version}.builds.json`).sort());
    }
  });

  it("stores the image rows' repeated columns once, and the file is about half the size", () => {
    const text = readFileSync(join(ROOT, "generated/data/images.json"), "utf8");
    const part = JSON.parse(text);
    expect(part[INTERNED].map((c: { key: string }) => c.key)).toContain("source");
    expect(text.length).toBeLessThan(JSON.stringify(matrix.images).length * 0.6);
  });
});

describe("internColumns", () => {
  const rows = (n: number, f: (i: number) => object) => Array.from({ length: n }, (_, i) => f(i));
  const long = (i: number) => `https://example.org/a-long-enough-source-url/${i}`;
  it.each([
    ["a repeated column in a list of rows", { list: rows(40, (i) => ({ source: long(i % 3), n: i })) }, ["source"]],
    ["a column with too many distinct values", { list: rows(40, (i) => ({ source: long(i % 30) })) }, []],
    ["too few rows", { list: rows(7, () => ({ source: long(0) })) }, []],
    ["too little to save", { list: rows(40, (i) => ({ os: `u${i % 2}` })) }, []],
    ["a column that is not only strings", { list: rows(40, (i) => ({ source: i % 2 ? long(0) : 1 })) }, []],
    ["rows missing the key, nested lists, a list at the root", rows(60, (i) => ({ ...(i % 2 ? { source: long(i % 2) } : {}), inner: rows(40, (j) => ({ url: long(j % 2) })) })), ["source", "url"]],
  ])("%s", (_, value, keys) => {
    const stored = internColumns(value);
    if (keys.length === 0) expect(stored).toBe(value);
    else expect([...new Set(stored[INTERNED].map((c: { key: string }) => c.key))].sort()).toEqual(keys);
    expect(restore(JSON.parse(JSON.stringify(stored)))).toEqual(value);
  });
});

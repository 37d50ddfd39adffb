// src/write/lock.schema.json is the lock's one definition: every lock the tool writes (the golden
// ones and fresh renders) satisfies it, the run-time validator uses only keywords it implements,
// and it agrees with ajv on a corpus of good and bad locks.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { Ajv } from "ajv";
import { UserError } from "../src/errors.js";
import { LOCK_SCHEMA, parseLock } from "../src/write/lock-file.js";
import { SUPPORTED_KEYWORDS, validateSchema, type Schema } from "../src/write/json-schema-lite.js";
import { goldenCases, sweepCases } from "./support/cases.js";
import { file, renderFor } from "./support/render.js";
import { ROOT } from "./support/shared.js";

const LOCK = "cuda-scaffold.lock.json";
const GOLDEN = join(ROOT, "fixtures/golden");
const goldenLocks = readdirSync(GOLDEN).map((name) => [name, readFileSync(join(GOLDEN, name, LOCK), "utf8")] as const);

const ajvValidate = new Ajv({ strict: true, allowUnionTypes: true }).compile(LOCK_SCHEMA);
const ours = (doc: unknown) => validateSchema(LOCK_SCHEMA, doc).length === 0;
const theirs = (doc: unknown) => ajvValidate(doc) === true;

describe("every lock the tool writes is readable by it", () => {
  it("has golden locks to check", () => expect(goldenLocks.length).toBeGreaterThanOrEqual(10));

  it.each(goldenLocks)("golden %s", (_name, text) => {
    const parsed = parseLock(text);
    expect("problem" in parsed ? parsed.problem.message : "ok").toBe("ok");
    expect(theirs(JSON.parse(text))).toBe(true);
  });

  it.each([...goldenCases(), ...sweepCases()].map((c) => [c.name, c] as const))("fresh render %s", (_name, c) => {
    let text: string;
    try {
      text = file(renderFor(c.specs, c.opts).files, LOCK);
    } catch (err) {
      if (err instanceof UserError) return; // a request the data refuses writes no lock
      throw err;
    }
    const parsed = parseLock(text);
    expect("problem" in parsed ? parsed.problem.message : "ok").toBe("ok");
  });
});

/** Every keyword used anywhere in a schema, with the path where it is. */
function keywords(schema: unknown, path = "#"): [string, string, unknown][] {
  if (typeof schema !== "object" || schema === null) return [];
  const out: [string, string, unknown][] = [];
  for (const [k, v] of Object.entries(schema)) {
    out.push([k, path, v]);
    if (k === "properties" || k === "definitions") {
      for (const [name, sub] of Object.entries(v as object)) out.push(...keywords(sub, `${path}/${k}/${name}`));
    } else if (k === "items" || k === "additionalProperties") out.push(...keywords(v, `${path}/${k}`));
  }
  return out;
}

describe("the schema stays within what the run-time validator implements", () => {
  const used = keywords(LOCK_SCHEMA);

  it("uses only supported keywords", () => {
    expect(used.filter(([k]) => !SUPPORTED_KEYWORDS.has(k)).map(([k, at]) => `${at}: ${k}`)).toEqual([]);
  });

  it("puts nothing beside a $ref, and only plain values in const and enum", () => {
    const objects = new Map<string, string[]>();
    for (const [k, at] of used) objects.set(at, [...(objects.get(at) ?? []), k]);
    for (const [at, ks] of objects) if (ks.includes("$ref")) expect(ks, at).toEqual(["$ref"]);
    for (const [k, at, v] of used) {
      if (k === "const") expect(v === null || typeof v !== "object", at).toBe(true);
      if (k === "enum") expect((v as unknown[]).every((x) => x === null || typeof x !== "object"), at).toBe(true);
    }
  });
});

// ---- the corpus: each golden lock, and every one-field change to one of them ----

const HOSTILE = [null, 0, 11, 3.1, -1, true, "", "x", "11.8", "a".repeat(300), "\u001b[2J", "nvidia/cuda:12.4.1-base-ubuntu22.04", [], [null], ["a100"], [1], {}, { name: "torch" }, { name: 1 }];

/** Paths to every value in a document (objects and lists included). */
function paths(doc: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (typeof doc === "object" && doc !== null) for (const [k, v] of Object.entries(doc)) out.push(...paths(v, [...at, k]));
  return out;
}

function withValue(doc: unknown, at: (string | number)[], value: unknown | typeof DELETE): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  if (at.length === 0) return value === DELETE ? undefined : value;
  let parent: Record<string | number, unknown> = copy;
  for (const step of at.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  if (value === DELETE) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = value;
  return copy;
}
const DELETE = Symbol("delete");

function corpus(): unknown[] {
  const docs: unknown[] = [];
  for (const [, text] of goldenLocks.slice(0, 4)) {
    const doc = JSON.parse(text) as unknown;
    docs.push(doc);
    for (const at of paths(doc)) {
      for (const value of HOSTILE) docs.push(withValue(doc, at, value));
      docs.push(withValue(doc, at, DELETE));
      const here = at.reduce<unknown>((v, step) => (v as Record<string | number, unknown>)[step], doc);
      if (typeof here === "object" && here !== null && !Array.isArray(here)) docs.push(withValue(doc, at, { ...here, unknownField: 1 }));
      if (Array.isArray(here)) docs.push(withValue(doc, at, Array(80).fill(here[0] ?? "x")));
    }
  }
  return docs;
}

describe("the run-time validator agrees with ajv", () => {
  const docs = corpus();

  it("on a corpus with both verdicts", () => {
    const verdicts = docs.map((d) => [ours(d), theirs(d)] as const);
    expect(verdicts.filter(([a, b]) => a !== b)).toEqual([]);
    expect(verdicts.filter(([a]) => a).length).toBeGreaterThan(20);
    expect(verdicts.filter(([a]) => !a).length).toBeGreaterThan(500);
  });

  it("on random JSON values and random changes to a lock", () => {
    const base = JSON.parse(goldenLocks[0]![1]) as Record<string, unknown>;
    const lockLike = fc.record({
      field: fc.constantFrom("request", "resolution", "tool", "files"),
      key: fc.constantFrom("specs", "cuda", "gpu", "name", "version", "image", "frameworks", "imageStatus", "x"),
      value: fc.jsonValue({ maxDepth: 3 }),
    }).map(({ field, key, value }) => ({ ...base, [field]: { ...(base[field] as object), [key]: value } }));
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), lockLike), (doc) => ours(doc) === theirs(doc)),
      { numRuns: 2000, seed: 7 },
    );
  });

  it("reports where and what, for a reader", () => {
    const doc = JSON.parse(goldenLocks[0]![1]) as { request: Record<string, unknown> };
    doc.request["cuda"] = 11;
    expect(validateSchema(LOCK_SCHEMA as Schema, doc)).toEqual([
      { path: "request.cuda", kind: "type", message: "request.cuda is a number (11); expected a string or null" },
    ]);
  });
});

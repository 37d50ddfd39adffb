#!/usr/bin/env node
// Validates matrix/*.yaml against matrix/schema/*.schema.json and precompiles the data and the
// templates into generated/*.json, so that nothing parses YAML or reads a template at run time.
// Broken data fails here, at build and test time, never in a user's run.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join, dirname, relative } from "node:path";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import { parse } from "yaml";

// --root <dir> checks another copy of the data (tests use it to prove broken data fails here).
const rootArg = process.argv.indexOf("--root");
const root = rootArg > 0 ? process.argv[rootArg + 1] : join(dirname(fileURLToPath(import.meta.url)), "..");
const schemaDir = join(root, "matrix/schema");
const ajv = new Ajv({ allErrors: true, strict: true });
for (const file of readdirSync(schemaDir).sort()) {
  ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, file), "utf8")));
}

const sources = {
  cuda: ["cuda.yaml", "cuda.schema.json"],
  images: ["images.yaml", "images.schema.json"],
  gpus: ["gpus.yaml", "gpus.schema.json"],
  platform: ["platform.yaml", "platform.schema.json"],
};
const frameworkFiles = readdirSync(join(root, "matrix/frameworks")).filter((f) => f.endsWith(".yaml")).sort();

const problems = [];
function load(rel, schemaId) {
  const path = join(root, "matrix", rel);
  let data;
  try {
    data = parse(readFileSync(path, "utf8"), { uniqueKeys: true, prettyErrors: true });
  } catch (err) {
    problems.push(`${rel}: ${err.message}`);
    return undefined;
  }
  const validate = ajv.getSchema(schemaId);
  if (!validate(data)) {
    for (const e of validate.errors) problems.push(`${rel}${e.instancePath}: ${e.message}`);
  }
  return data;
}

const out = { frameworks: {} };
for (const [key, [file, schema]] of Object.entries(sources)) out[key] = load(file, schema);
for (const file of frameworkFiles) {
  const data = load(`frameworks/${file}`, "framework.schema.json");
  if (data) out.frameworks[data.framework] = data;
}

const templates = {};
function collectTemplates(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) collectTemplates(path);
    else if (entry.name.endsWith(".hbs")) templates[relative(join(root, "templates"), path).replace(/\.hbs$/, "")] = readFileSync(path, "utf8");
  }
}
collectTemplates(join(root, "templates"));

if (problems.length) {
  console.error(`matrix data is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
if (!process.argv.includes("--check")) {
  // The data version names the exact facts a lock file was resolved from.
  out.version = createHash("sha256").update(JSON.stringify(out)).digest("hex").slice(0, 12);
  mkdirSync(join(root, "generated"), { recursive: true });
  writeFileSync(join(root, "generated/matrix.json"), JSON.stringify(out) + "\n");
  writeFileSync(join(root, "generated/templates.json"), JSON.stringify(templates) + "\n");
}
console.error(`matrix ok: ${Object.keys(out.frameworks).length} frameworks, ${out.cuda?.toolkits.length ?? 0} CUDA toolkits, ${out.images?.images.length ?? 0} image rows, ${Object.keys(templates).length} templates`);

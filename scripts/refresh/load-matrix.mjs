// Reads the curated data the refresh compares against. Read-only: nothing in this pipeline writes matrix/.
// When ../generated/matrix.json (written and schema-checked by scripts/compile-data.mjs, notes included)
// is newer than every YAML file, it is read instead: the same facts, without a second of YAML parsing.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const FRAMEWORKS = ["torch", "tensorflow", "jax", "paddle"];

function read(dir, rel) {
  return parse(readFileSync(join(dir, rel), "utf8"));
}

function yamlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".yaml"))
    .map((e) => join(e.parentPath, e.name));
}

function freshCompiled(dir) {
  const compiled = join(dir, "../generated/matrix.json");
  if (!existsSync(compiled)) return null;
  const built = statSync(compiled).mtimeMs;
  if (yamlFiles(dir).some((f) => statSync(f).mtimeMs > built)) return null;
  const data = JSON.parse(readFileSync(compiled, "utf8"));
  return FRAMEWORKS.every((f) => data.frameworks?.[f]) && data.cuda && data.images && data.platform ? data : null;
}

function asOfOf(platform) {
  const v = platform?.asOf;
  return v == null ? null : String(v instanceof Date ? v.toISOString().slice(0, 10) : v);
}

/** @returns {{ dir: string, asOf: string | null, frameworks: Record<string, any>, cuda: any, images: any }} */
export function loadMatrix(dir) {
  const compiled = freshCompiled(dir);
  if (compiled) return { dir, asOf: asOfOf(compiled.platform), frameworks: compiled.frameworks, cuda: compiled.cuda, images: compiled.images };
  const frameworks = {};
  for (const name of FRAMEWORKS) frameworks[name] = read(dir, `frameworks/${name}.yaml`);
  return { dir, asOf: asOfOf(read(dir, "platform.yaml")), frameworks, cuda: read(dir, "cuda.yaml"), images: read(dir, "images.yaml") };
}

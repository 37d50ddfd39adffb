// Reads matrix/*.yaml and templates/ of a tree and validates the data against matrix/schema/: the
// checking half of scripts/compile-data.mjs, which writes what this returns. The tests of broken
// rows call it in their own process, on copies of the data (a Node start and Ajv's compile of the
// schemas per row cost about 0.7 s each).
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";

const SOURCES = {
  cuda: ["cuda.yaml", "cuda.schema.json"],
  images: ["images.yaml", "images.schema.json"],
  gpus: ["gpus.yaml", "gpus.schema.json"],
  platform: ["platform.yaml", "platform.schema.json"],
  wheelPlatforms: ["wheel-platforms.yaml", "wheel-platforms.schema.json"],
  companions: ["companions.yaml", "companions.schema.json"],
  nvidiaPackages: ["nvidia-packages.yaml", "nvidia-packages.schema.json"],
  experimentalPython: ["experimental-python.yaml", "experimental-python.schema.json"],
  libraryCompat: ["library-compat.yaml", "library-compat.schema.json"],
  cluster: ["cluster.yaml", "cluster.schema.json"],
  mirrors: ["mirrors.yaml", "mirrors.schema.json"],
  arm64: ["arm64.yaml", "arm64.schema.json"],
  condaPackages: ["conda-packages.yaml", "conda-packages.schema.json"],
};

// One Ajv per set of schema texts: copies of the data with the same schemas share its compiled validators.
const ajvs = new Map();
function ajvFor(schemaDir) {
  const texts = readdirSync(schemaDir).sort().map((file) => readFileSync(join(schemaDir, file), "utf8"));
  const key = texts.join("\0");
  let ajv = ajvs.get(key);
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: true });
    for (const text of texts) ajv.addSchema(JSON.parse(text));
    ajvs.set(key, ajv);
  }
  return ajv;
}

/**
 * The data of `root` and what is wrong with it. `only` (a file of matrix/, e.g. "platform.yaml")
 * checks that one file against its schema and nothing else.
 * @returns {{ out: any, problems: string[], templates: Record<string, string>, shellParts: Record<string, string> }}
 */
export function loadData(root, only = null) {
  const ajv = ajvFor(join(root, "matrix/schema"));
  const problems = [];
  const load = (rel, schemaId) => {
    if (only !== null && rel !== only) return undefined;
    let data;
    try {
      data = parse(readFileSync(join(root, "matrix", rel), "utf8"), { uniqueKeys: true, prettyErrors: true });
    } catch (err) {
      problems.push(`${rel}: ${err.message}`);
      return undefined;
    }
    const validate = ajv.getSchema(schemaId);
    if (!validate(data)) {
      for (const e of validate.errors) problems.push(`${rel}${e.instancePath}: ${e.message}`);
    }
    return data;
  };

  const out = { frameworks: {} };
  for (const [key, [file, schema]] of Object.entries(SOURCES)) out[key] = load(file, schema);
  for (const file of readdirSync(join(root, "matrix/frameworks")).filter((f) => f.endsWith(".yaml")).sort()) {
    const data = load(`frameworks/${file}`, "framework.schema.json");
    if (data) out.frameworks[data.framework] = data;
  }

  const templates = {};
  // Plain shell parts (templates/host/steps/*.sh): text the renderer places as it is, never compiled.
  const shellParts = {};
  const collect = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      const name = relative(join(root, "templates"), path);
      if (entry.isDirectory()) collect(path);
      else if (entry.name.endsWith(".hbs")) templates[name.replace(/\.hbs$/, "")] = readFileSync(path, "utf8");
      else if (entry.name.endsWith(".sh")) shellParts[name] = readFileSync(path, "utf8");
    }
  };
  collect(join(root, "templates"));
  return { out, problems, templates, shellParts };
}

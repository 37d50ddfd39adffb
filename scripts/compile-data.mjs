#!/usr/bin/env node
// Validates matrix/*.yaml against matrix/schema/*.schema.json and precompiles the data and the
// templates into generated/*.json, so that nothing parses YAML or reads a template at run time.
// Broken data fails here, at build and test time, never in a user's run.
import { readdirSync, writeFileSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { INTERNED, REF, internColumns, releaseParts } from "./data-parts.mjs";
import { loadData } from "./load-data.mjs";

// --root <dir> checks another copy of the data (tests use it to prove broken data fails here).
// --only <file> (with --check) checks that one file of matrix/ against its schema and nothing else:
// tests of one broken row use it, so each need not parse all the data.
const onlyArg = process.argv.indexOf("--only");
const only = onlyArg > 0 && process.argv.includes("--check") ? process.argv[onlyArg + 1] : null;
const rootArg = process.argv.indexOf("--root");
const root = rootArg > 0 ? process.argv[rootArg + 1] : join(dirname(fileURLToPath(import.meta.url)), "..");
const { out, problems, templates, shellParts } = loadData(root, only);

if (problems.length) {
  console.error(`matrix data is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
// Tests and builds run side by side: a file is written aside and renamed into place, so that a
// reader never sees half of one.
function writeAtomic(path, text) {
  const aside = `${path}.${process.pid}.tmp`;
  writeFileSync(aside, text);
  renameSync(aside, path);
}

if (!process.argv.includes("--check")) {
  // The data version names the exact facts a lock file was resolved from. The cluster facts have
  // their own version, recorded only in locks that have cluster files, so they leave others alone.
  // The linux/arm64 facts likewise: locks of --platform linux/arm64 record arm64Version.
  // The conda package names (conda-packages.yaml) count towards neither: they are read only when a
  // project is read, and what came of them is in the lock itself (request.project: the install
  // lines, the changes and the notes), which a later run compares, not the table.
  const { cluster, arm64, condaPackages, ...stack } = out;
  out.version = createHash("sha256").update(JSON.stringify(stack)).digest("hex").slice(0, 12);
  out.clusterVersion = createHash("sha256").update(JSON.stringify(cluster ?? null)).digest("hex").slice(0, 12);
  out.arm64Version = createHash("sha256").update(JSON.stringify(arm64 ?? null)).digest("hex").slice(0, 12);
  mkdirSync(join(root, "generated/data/frameworks"), { recursive: true });
  writeAtomic(join(root, "generated/matrix.json"), JSON.stringify(out) + "\n");
  // The CLI's copy of the data, in parts that a run reads only when it first uses them
  // (src/matrix/data.ts): every top-level object (cuda, images, gpus, …) and each framework's
  // larger fields (its releases) are JSON files in generated/data/; generated/matrix.js holds the
  // rest (versions, framework names and aliases) and `{ "$file": … }` where a part was left out.
  // `resolve torch@…` then parses torch's releases but not jax's, and JSON.parse of a file costs
  // less than compiling the same text as a string in a module. scripts/bundle.mjs puts data/
  // beside the bundle's file that holds generated/matrix.js.
  // Reviewers' notes stay in the YAML; the CLI never reads them, so the runtime copy leaves them out.
  // A framework's releases are an index and one file of builds per release, and repeated string
  // columns are stored once (scripts/data-parts.mjs).
  const runtime = JSON.parse(JSON.stringify(out, (key, value) => (key === "note" || key === "notes" ? undefined : value)));
  for (const marker of [REF, INTERNED]) {
    if (JSON.stringify(runtime).includes(JSON.stringify(marker))) throw new Error(`matrix data uses the key "${marker}", which marks how the CLI's copy of the data is stored`);
  }
  const written = new Set();
  const part = (file, value) => {
    written.add(file);
    mkdirSync(dirname(join(root, "generated/data", file)), { recursive: true });
    writeAtomic(join(root, "generated/data", file), JSON.stringify(internColumns(value)));
    return { [REF]: file };
  };
  const isObject = (v) => v !== null && typeof v === "object";
  const inline = {};
  for (const [key, value] of Object.entries(runtime)) {
    if (key === "frameworks") {
      inline.frameworks = {};
      for (const [name, fw] of Object.entries(value)) {
        inline.frameworks[name] = Object.fromEntries(
          Object.entries(fw).map(([field, v]) => [field, field === "releases" ? part(`frameworks/${name}.releases.json`, releaseParts(name, v, part)) : isObject(v) && JSON.stringify(v).length > 1024 ? part(`frameworks/${name}.${field}.json`, v) : v]),
        );
      }
    } else inline[key] = isObject(value) ? part(`${key}.json`, value) : value;
  }
  // The host script's plain shell parts are text the renderer places as it is: a JSON file read on
  // first use, like the matrix's parts, rather than strings in the bundle's code (which V8's code
  // cache would copy at every start, rendering or not).
  written.add("shell-parts.json");
  writeAtomic(join(root, "generated/data/shell-parts.json"), JSON.stringify(shellParts));
  for (const f of readdirSync(join(root, "generated/data"), { recursive: true })) {
    if (f.endsWith(".json") && !written.has(f)) rmSync(join(root, "generated/data", f), { force: true });
  }
  writeAtomic(
    join(root, "generated/matrix.js"),
    `// Generated by scripts/compile-data.mjs from matrix/*.yaml. Parts marked { "$file": … } are in ./data/.\nimport { join } from "node:path";\nexport const dataDir = join(import.meta.dirname, "data");\nexport default ${JSON.stringify(inline)};\n`,
  );
  writeAtomic(join(root, "generated/matrix.d.ts"), "export declare const dataDir: string;\ndeclare const matrix: unknown;\nexport default matrix;\n");
  // Templates are precompiled, so the CLI loads only Handlebars' small runtime, never its compiler.
  const specs = Object.entries(templates)
    .map(([name, source]) => `  ${JSON.stringify(name)}: ${Handlebars.precompile(source, { noEscape: true, strict: true })}`)
    .join(",\n");
  writeAtomic(
    join(root, "generated/templates.js"),
    `// Generated by scripts/compile-data.mjs from templates/*.hbs; the plain shell parts (templates/**/*.sh) are in ./data/shell-parts.json.\nimport { join } from "node:path";\nexport const shellPartsFile = join(import.meta.dirname, "data", "shell-parts.json");\nexport default {\n${specs}\n};\n`,
  );
  writeAtomic(join(root, "generated/templates.d.ts"), "export declare const shellPartsFile: string;\ndeclare const templates: Record<string, object>;\nexport default templates;\n");
}
if (only !== null) console.error(`matrix ok: ${only} (the only file checked)`);
else console.error(`matrix ok: ${Object.keys(out.frameworks).length} frameworks, ${out.cuda?.toolkits.length ?? 0} CUDA toolkits, ${out.images?.images.length ?? 0} image rows, ${Object.keys(templates).length} templates, ${Object.keys(shellParts).length} shell parts`);

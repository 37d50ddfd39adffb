#!/usr/bin/env node
// npm run data:refresh -- [--offline <dir>] [--json] [--write-proposals <dir>] [--matrix <dir>] [--date YYYY-MM-DD]
//
// Reads upstream's machine-readable sources (PyPI's JSON and simple APIs, the per-CUDA wheel indexes,
// NVIDIA's CUDA redistrib manifests, NVIDIA's image tag lists and Docker Hub's tag API), compares them
// with matrix/ and prints a reviewable diff: Markdown on stdout, or one JSON object with --json.
// It never writes matrix/. With --write-proposals <dir> it writes proposed rows as YAML snippets into
// <dir> (which must lie outside matrix/).
//
// Offline: --offline <dir> (or CUDA_SCAFFOLD_UPSTREAM_DIR) answers every request from recorded responses,
// mapped from URLs as fixtures/upstream/README.md describes; nothing touches the network.
//
// Exit codes: 0 no differences; 3 differences found (the report lists them); 4 no differences, but a
// source could not be read; 1 the run failed; 2 bad arguments.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createUpstream } from "./fetch-upstream.mjs";
import { buildProposals } from "./proposals.mjs";
import { renderMarkdown } from "./report.mjs";
import { runRefresh } from "./run-refresh.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const USAGE = "usage: data:refresh [--offline <dir>] [--json] [--write-proposals <dir>] [--matrix <dir>] [--date YYYY-MM-DD]";

function inside(parent, child) {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        offline: { type: "string" },
        json: { type: "boolean", default: false },
        "write-proposals": { type: "string" },
        matrix: { type: "string" },
        date: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const date = args.date ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    process.stderr.write(`--date must be YYYY-MM-DD\n${USAGE}\n`);
    return 2;
  }
  const matrixDir = resolve(args.matrix ?? join(ROOT, "matrix"));
  const offlineDir = args.offline ?? process.env.CUDA_SCAFFOLD_UPSTREAM_DIR;
  const proposalsDir = args["write-proposals"] ? resolve(args["write-proposals"]) : null;
  if (proposalsDir && (inside(matrixDir, proposalsDir) || inside(proposalsDir, matrixDir))) {
    process.stderr.write(`--write-proposals must name a folder outside ${matrixDir}: the refresh never writes matrix/\n`);
    return 2;
  }

  const upstream = createUpstream({ offlineDir: offlineDir ? resolve(offlineDir) : undefined });
  const result = await runRefresh({ matrixDir, upstream, date });
  const report = renderMarkdown(result);
  if (proposalsDir) {
    for (const { file, text } of buildProposals(result.findings, date)) {
      const target = resolve(proposalsDir, file);
      if (!inside(proposalsDir, target)) throw new Error(`proposal path ${file} escapes ${proposalsDir}`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  }
  process.stdout.write(args.json ? `${JSON.stringify({ ...result, report }, null, 2)}\n` : report);
  process.stderr.write(`data:refresh: ${result.findings.length} difference(s), ${result.sources.length} source(s) consulted, exit ${result.exitCode}\n`);
  return result.exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`data:refresh failed: ${err?.stack ?? err}\n`);
    process.exitCode = 1;
  },
);

// The default command: resolve, render, plan the writes against the disk, apply them.
import { lstatSync, renameSync } from "node:fs";
import { basename, join } from "node:path";
import { matrix } from "../matrix/data.js";
import { UserError } from "../errors.js";
import { parseRequest } from "../request/parse-request.js";
import { rawFromLock, rawFromOptions, type RequestOptions } from "../request/request-options.js";
import { resolveStack } from "../resolve/resolve-stack.js";
import { renderFiles, LOCK_FILE } from "../render/render-files.js";
import { resolutionJson, resolutionOutputJson } from "../render/resolution-json.js";
import { planWrites } from "../write/plan-writes.js";
import { applyWrites } from "../write/apply-writes.js";
import { withRunLock } from "../write/run-lock.js";
import { readLock } from "../write/lock-file.js";
import { unifiedDiff } from "../write/unified-diff.js";
import { TOOL_VERSION } from "../version.js";
import { summaryLines } from "./report.js";
import { requestLine } from "../render/header.js";
import { projectJson, projectLines, projectSource, resolveFromProject } from "../project/from-project.js";
import { checkOutFolder } from "../write/out-folder.js";

export interface GenerateOptions extends RequestOptions {
  force?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

const VERB = { create: "create", update: "update", unchanged: "unchanged", edited: "edited by hand" } as const;

function changedSince(old: Record<string, unknown>, now: Record<string, unknown>): string[] {
  const keys = ["cuda", "cudnn", "python", "os", "image", "minDriver"];
  const diffs = keys.filter((k) => JSON.stringify(old[k]) !== JSON.stringify(now[k])).map((k) => `${k} ${JSON.stringify(old[k])} → ${JSON.stringify(now[k])}`);
  const fw = (r: Record<string, unknown>) => JSON.stringify((r.frameworks as { packages: unknown }[] | undefined)?.map((f) => f.packages));
  if (fw(old) !== fw(now)) diffs.push("framework packages changed");
  return diffs;
}

function resolveRequest(raw: ReturnType<typeof rawFromOptions>) {
  const req = parseRequest(raw, matrix);
  return { req, res: resolveStack(req, matrix) };
}

/**
 * A folder where the lock file belongs (a bad merge, a mistaken mkdir) stops every run; with a spec
 * and --force the user asked for a fresh lock, so the folder is moved aside — never deleted — and
 * the run says where it went.
 */
function moveFolderOffLock(out: string, print: (s: string) => void): void {
  const path = join(out, LOCK_FILE);
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isDirectory()) return;
  const aside = `${path}.folder-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  renameSync(path, aside);
  print(`note: ${LOCK_FILE} was a folder; it was moved to ${basename(aside)} so that the lock can be written.`);
}

export function generate(specs: string[], opts: GenerateOptions, print: (s: string) => void): number {
  // A run that may write holds the output folder's run lock from reading the old lock to the last rename.
  checkOutFolder(opts.out ?? ".");
  return opts.dryRun ? generateIn(specs, opts, print) : withRunLock(opts.out ?? ".", () => generateIn(specs, opts, print));
}

function generateIn(specs: string[], opts: GenerateOptions, print: (s: string) => void): number {
  const out = opts.out ?? ".";
  // With a spec and --force the lock is about to be replaced, so one that cannot be read is ignored.
  const lock = readLock(out, { replacing: (specs.length > 0 || opts.project !== undefined) && !!opts.force });
  let raw = rawFromOptions(specs, opts);
  const fromLock = specs.length === 0 && lock !== null && opts.project === undefined;
  if (fromLock) raw = { ...rawFromLock(lock.request, out), project: raw.project };
  // No spec and no lock (or a lock made from a project, or --project): the stack comes from the project's files.
  const source = projectSource(specs, opts, fromLock ? lock : null);
  const { req, res } = source ? resolveFromProject(source, raw, opts, matrix) : resolveRequest(raw);
  const files = renderFiles(res, matrix, TOOL_VERSION);
  const replacing = (specs.length > 0 || opts.project !== undefined) && !!opts.force;
  if (replacing && !opts.dryRun) moveFolderOffLock(out, opts.json ? () => {} : print);
  const changes = planWrites(out, files, lock?.files ?? {});
  const edited = changes.filter((c) => c.kind === "edited");

  if (opts.json) {
    print(JSON.stringify({ ...resolutionOutputJson(res), ...(req.project.read ? { project: projectJson(req.project.read) } : {}), dryRun: !!opts.dryRun, files: changes.map((c) => ({ path: c.file.path, action: c.kind === "edited" && opts.force ? "overwrite" : c.kind })) }, null, 2));
  } else {
    const notes: string[] = [];
    if (fromLock) {
      notes.push(`Regenerating from ${LOCK_FILE} (written by cuda-scaffold ${lock.tool.version}; this is ${TOOL_VERSION}).`);
      const diffs = changedSince(lock.resolution, resolutionJson(res));
      if (diffs.length) notes.push(`The resolution changed, because the tool or its data changed: ${diffs.join("; ")}.`);
    }
    print([...notes, `cuda-scaffold ${TOOL_VERSION}: ${requestLine(req)}`, ...summaryLines(res), ...projectLines(req.project.read), "", `files${opts.dryRun ? " (dry run: nothing written)" : ""}:`, ...changes.map((c) => `  ${VERB[c.kind].padEnd(15)} ${c.file.path}`)].join("\n"));
    if (opts.dryRun) {
      for (const c of changes.filter((x) => x.kind !== "unchanged")) print(unifiedDiff(c.current ?? "", c.file.content, c.current === null ? "/dev/null" : `a/${c.file.path}`, `b/${c.file.path}`));
    }
  }
  // A dry run ends as the real run would: refused (exit 2) when a hand edit would block the write.
  if (edited.length && !opts.force) {
    throw new UserError(
      [{
        code: "edited-file",
        message: `Not overwriting ${edited.map((c) => c.file.path).join(", ")}: edited by hand since cuda-scaffold wrote ${edited.length === 1 ? "it" : "them"}. Nothing was written.`,
        hint: "See the difference with `cuda-scaffold check` (or --dry-run); pass --force to replace the edits with the generated files.",
      }],
      2,
    );
  }
  if (opts.dryRun) return 0;
  applyWrites(changes);
  if (!opts.json) {
    const wrote = changes.filter((c) => c.kind !== "unchanged").length;
    // Podman runs the compose file with podman-compose, which honours its CDI devices (README: Container engines).
    const up = res.request.engine === "podman" ? "podman-compose up -d dev" : "docker compose up -d dev";
    print(wrote ? `\nnext: ${up}   (GPU host setup: sudo bash host/bootstrap-oraclelinux.sh --help)` : "\nEverything was up to date.");
  }
  return 0;
}

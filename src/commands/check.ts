// Re-resolve from the lock file, re-render, and compare with the disk (SPEC §4 `check`). Reads only,
// and takes no run lock: it can run on a read-only checkout.
import { matrix } from "../matrix/data.js";
import { fail, UserError } from "../errors.js";
import { parseRequest } from "../request/parse-request.js";
import { rawFromLock } from "../request/request-options.js";
import { resolveStack } from "../resolve/resolve-stack.js";
import { renderFiles, LOCK_FILE } from "../render/render-files.js";
import { fileHash, verifySeal } from "../render/header.js";
import { readInside } from "../write/plan-writes.js";
import { readLock } from "../write/lock-file.js";
import { unifiedDiff } from "../write/unified-diff.js";
import { TOOL_VERSION } from "../version.js";
import { realRoot } from "../write/inside-root.js";
import { projectDrift } from "../project/from-project.js";
import { checkOutFolder } from "../write/out-folder.js";

export type FileState = "up to date" | "edited by hand" | "stale" | "missing" | "not ours" | "unsafe";

export function check(opts: { out?: string; json?: boolean }, print: (s: string) => void): number {
  const out = opts.out ?? ".";
  checkOutFolder(out);
  const lock = readLock(out);
  if (!lock) fail({ code: "no-lock", message: `No ${LOCK_FILE} in ${out}: nothing to check.`, hint: "Generate the files first, e.g. cuda-scaffold torch@1.9.0." });
  const req = parseRequest(rawFromLock(lock.request, out), matrix);
  const res = resolveStack(req, matrix);
  const files = renderFiles(res, matrix, TOOL_VERSION);
  const root = realRoot(out);
  const results = files.map((f) => {
    // With LF line endings: a CRLF checkout (git core.autocrlf) is not a hand edit. A path the
    // tool would never write (a link, a folder, a device, a parent leading outside) is reported as
    // such, and the other files are still checked.
    let disk: string | null;
    try {
      disk = readInside(root, f.path).content;
    } catch (err) {
      const problem = err instanceof UserError ? err.problems.find((p) => p.code === "unsafe-path") : undefined;
      if (!problem) throw err;
      return { path: f.path, state: "unsafe" as FileState, reason: problem.reason ?? problem.message, diff: null };
    }
    let state: FileState;
    if (disk === null) state = "missing";
    else if (disk === f.content) state = "up to date";
    else if (f.path === LOCK_FILE) state = "stale";
    else if (lock.files[f.path] === fileHash(disk)) state = "stale";
    else {
      const seal = verifySeal(disk);
      state = seal === true ? "stale" : seal === false || lock.files[f.path] ? "edited by hand" : "not ours";
    }
    return { path: f.path, state, diff: disk !== null && state !== "up to date" ? unifiedDiff(disk, f.content, `a/${f.path}`, `b/${f.path}`) : null };
  });
  const image = typeof lock.resolution.image === "string" ? lock.resolution.image : "";
  const row = matrix.images.images.find((i) => image.startsWith(`nvidia/cuda:${i.cuda}-`) && image.endsWith(`-${i.os}`));
  // A tag that was already end-of-life when the files were made (the only one left) is reported;
  // one that became end-of-life since, or was deleted, fails the check.
  const lockedStatus = lock.resolution.imageStatus ?? "supported";
  const worse = row && (row.status === "deleted" || (row.status === "eol" && lockedStatus === "supported"));
  const imageProblem = worse ? `the locked base image ${image} is ${row.status === "eol" ? "now end-of-life" : "deleted"} in our data` : null;
  const imageNote = row && !worse && row.status === "eol" ? `the locked base image ${image} was already end-of-life when these files were made` : null;
  // A project's dependency file that changed since generation is drift too.
  const projectDrifts = projectDrift(out, req.project.read);
  const ok = results.every((r) => r.state === "up to date") && !imageProblem && projectDrifts.length === 0;
  if (opts.json) {
    print(JSON.stringify({ ok, files: results, image: { reference: image, status: row?.status ?? null, lockedStatus, problem: imageProblem, note: imageNote }, ...(req.project.read ? { project: { dir: req.project.read.dir, drift: projectDrifts } } : {}) }, null, 2));
  } else {
    const lines = results.map((r) => `  ${r.state.padEnd(15)} ${r.path}${"reason" in r && r.reason ? ` (${r.reason}; regenerating refuses it too)` : ""}`);
    for (const d of projectDrifts) lines.push(`  ! ${d}`);
    if (imageProblem) lines.push("", `  ! ${imageProblem}: regenerate (cuda-scaffold ${req.specs.map((s) => s.name).join(" ")} …) to move to a live image.`);
    if (imageNote) lines.push("", `  note: ${imageNote}; NVIDIA deletes such tags some months after end of life.`);
    for (const r of results.filter((x) => x.diff)) lines.push("", r.diff!.trimEnd());
    print([`check ${out}: ${ok ? "everything is up to date" : "drift found"}`, ...lines].join("\n"));
  }
  return ok ? 0 : 2;
}

// Renders a request in memory, the way the CLI does, for golden and validation tests.
import { matrix } from "../../src/matrix/data.js";
import { UserError, type Problem } from "../../src/errors.js";
import { parseRequest, type RawRequest } from "../../src/request/parse-request.js";
import { resolveStack } from "../../src/resolve/resolve-stack.js";
import { renderFiles, type GeneratedFile } from "../../src/render/render-files.js";
import type { Resolution } from "../../src/resolve/types.js";

export const TEST_VERSION = "0.0.0-test";

export function request(specs: string[], opts: Partial<RawRequest> = {}) {
  return parseRequest({ specs, folderName: "demo", project: { requirements: false, pyproject: false }, name: "demo", ...opts }, matrix);
}

export function resolveFor(specs: string[], opts: Partial<RawRequest> = {}): Resolution {
  return resolveStack(request(specs, opts), matrix);
}

export function renderFor(specs: string[], opts: Partial<RawRequest> = {}): { res: Resolution; files: GeneratedFile[] } {
  const res = resolveFor(specs, opts);
  return { res, files: renderFiles(res, matrix, TEST_VERSION) };
}

export function file(files: GeneratedFile[], path: string): string {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path}`);
  return f.content;
}

/** The problems a request is refused with; throws when it resolves. */
export function refused(specs: string[], opts: Partial<RawRequest> = {}): Problem[] {
  try {
    resolveFor(specs, opts);
  } catch (err) {
    if (err instanceof UserError) return err.problems;
    throw err;
  }
  throw new Error(`${specs.join(" ")} ${JSON.stringify(opts)} resolved`);
}

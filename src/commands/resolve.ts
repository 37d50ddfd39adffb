import { matrix } from "../matrix/data.js";
import type { RequestOptions } from "../request/request-options.js";
import { projectJson, projectLines, requestFor } from "../project/from-project.js";
import { resolutionOutputJson } from "../render/resolution-json.js";
import { requestLine } from "../render/header.js";
import { summaryLines } from "./report.js";

export function resolve(specs: string[], opts: RequestOptions & { json?: boolean }, print: (s: string) => void): number {
  const { req, res } = requestFor(specs, opts, matrix);
  const project = req.project.read;
  print(opts.json ? JSON.stringify({ ...resolutionOutputJson(res), ...(project ? { project: projectJson(project) } : {}) }, null, 2) : [`${requestLine(req)}:`, ...summaryLines(res), ...projectLines(project)].join("\n"));
  return 0;
}

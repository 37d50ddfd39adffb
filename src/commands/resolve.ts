import { matrix } from "../matrix/data.js";
import { parseRequest } from "../request/parse-request.js";
import { rawFromOptions, type RequestOptions } from "../request/request-options.js";
import { resolveStack } from "../resolve/resolve-stack.js";
import { resolutionJson } from "../render/resolution-json.js";
import { requestLine } from "../render/header.js";
import { summaryLines } from "./report.js";

export function resolve(specs: string[], opts: RequestOptions & { json?: boolean }, print: (s: string) => void): number {
  const req = parseRequest(rawFromOptions(specs, opts), matrix);
  const res = resolveStack(req, matrix);
  print(opts.json ? JSON.stringify(resolutionJson(res), null, 2) : [`${requestLine(req)}:`, ...summaryLines(res)].join("\n"));
  return 0;
}

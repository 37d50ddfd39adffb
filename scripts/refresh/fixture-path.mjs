// Maps an upstream URL to the file that records its response under fixtures/upstream/.
//
// The rule (also in fixtures/upstream/README.md):
//   <host>/<path segments>[@<query>].<ext>
// - the scheme is dropped; every path segment becomes a folder, percent-decoded;
// - a path that ends in "/" (an index page) gets the file name "index";
// - a query string is appended to the last segment after "@" ("tags@page_size=100&ordering=last_updated");
// - <ext> is the format the source asks for (json, html, md, txt) and is not repeated when the last
//   segment already ends with it ("redistrib_13.0.0.json");
// - the response's provenance sits next to it in "<file>.meta.json".
// Characters outside [A-Za-z0-9._@=&+,~-] are percent-encoded, and "." or ".." segments are refused,
// so a URL can never name a file outside the fixture folder.
import { join } from "node:path";

export const FORMAT_EXTENSIONS = Object.freeze({ json: ".json", html: ".html", markdown: ".md", text: ".txt" });

function safeSegment(segment) {
  const encoded = segment.replace(/[^A-Za-z0-9._@=&+,~-]/g, (c) =>
    [...Buffer.from(c, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
  if (encoded === "" || encoded === "." || encoded === "..") throw new Error(`unsafe path segment ${JSON.stringify(segment)}`);
  return encoded;
}

/** Relative fixture path (with the platform's separators) for `url` fetched as `format`. */
export function fixturePath(url, format) {
  const ext = FORMAT_EXTENSIONS[format];
  if (!ext) throw new Error(`unknown format ${format}`);
  const u = new URL(url);
  if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error(`not an http(s) URL: ${url}`);
  const segments = u.pathname.split("/").filter(Boolean).map((s) => decodeURIComponent(s));
  if (u.pathname === "" || u.pathname.endsWith("/")) segments.push("index");
  let last = segments.pop() ?? "index";
  if (u.search.length > 1) last += `@${decodeURIComponent(u.search.slice(1))}`;
  if (!last.endsWith(ext)) last += ext;
  return join(safeSegment(u.hostname), ...segments.map(safeSegment), safeSegment(last));
}

export function metaPath(path) {
  return `${path}.meta.json`;
}

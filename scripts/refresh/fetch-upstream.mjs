// The only module that reads upstream: from the network (global fetch) in real use, or from recorded
// responses under an offline folder (fixtures/upstream/) when one is given. Every request is logged,
// so the report can say which sources were read, missing or broken.
//
// Bounded on purpose: one request per URL per run (answers are cached), at most MAX_REQUESTS requests,
// at most CONCURRENCY at a time, a timeout and a size cap per response, and a single retry (after a
// pause, honouring Retry-After up to 10 s) for 429/5xx and network errors — never a retry storm.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fixturePath, metaPath } from "./fixture-path.mjs";

export const DEFAULTS = Object.freeze({ timeoutMs: 30_000, maxBytes: 64 * 1024 * 1024, maxRequests: 250, concurrency: 4, retryDelayMs: 2_000 });
const USER_AGENT = "cuda-scaffold-data-refresh/1 (scheduled upstream diff; https://github.com/)";
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/**
 * @param {{ offlineDir?: string, timeoutMs?: number, maxBytes?: number, maxRequests?: number,
 *           concurrency?: number, retryDelayMs?: number, fetchImpl?: typeof fetch }} options
 */
export function createUpstream(options = {}) {
  const opts = { ...DEFAULTS, ...options };
  const cache = new Map();
  const log = [];
  let active = 0;
  const waiting = [];
  let requests = 0;

  async function slot(fn) {
    if (active >= opts.concurrency) await new Promise((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  }

  /**
   * @param {{ url: string, format: "json"|"html"|"markdown"|"text", accept?: string, purpose: string }} req
   * @returns {Promise<{ url: string, status: "ok"|"not-found"|"not-recorded"|"error", body?: string,
   *                     contentType?: string, meta?: any, error?: string }>}
   */
  function get(req) {
    const key = `${req.format} ${req.url}`;
    if (!cache.has(key)) {
      cache.set(key, (opts.offlineDir ? readRecorded(req, opts.offlineDir) : slot(() => readLive(req))).then((res) => {
        log.push({ url: req.url, purpose: req.purpose, status: res.status, error: res.error, capturedAt: res.meta?.capturedAt, provenance: res.meta?.provenance });
        return res;
      }));
    }
    return cache.get(key);
  }

  async function readLive(req) {
    if (++requests > opts.maxRequests) return { url: req.url, status: "error", error: `request budget of ${opts.maxRequests} used up` };
    const doFetch = opts.fetchImpl ?? fetch;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await doFetch(req.url, {
          headers: { accept: req.accept ?? "*/*", "user-agent": USER_AGENT },
          redirect: "follow",
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
        if (res.status === 404 || res.status === 410) return { url: req.url, status: "not-found" };
        if (!res.ok) {
          if (attempt === 0 && RETRYABLE.has(res.status)) {
            await pause(retryAfterMs(res.headers.get("retry-after"), opts.retryDelayMs));
            continue;
          }
          return { url: req.url, status: "error", error: `HTTP ${res.status}` };
        }
        const body = await readCapped(res, opts.maxBytes);
        return { url: req.url, status: "ok", body, contentType: res.headers.get("content-type") ?? "" };
      } catch (err) {
        if (attempt === 0 && !(err instanceof SizeError)) {
          await pause(opts.retryDelayMs);
          continue;
        }
        const cause = err?.cause?.code ?? err?.cause?.message;
        return { url: req.url, status: "error", error: `${err instanceof Error ? err.message : String(err)}${cause ? ` (${cause})` : ""}` };
      }
    }
  }

  return { get, log, offline: Boolean(opts.offlineDir) };
}

async function readRecorded(req, dir) {
  const file = join(dir, fixturePath(req.url, req.format));
  let meta;
  try {
    meta = JSON.parse(await readFile(metaPath(file), "utf8"));
  } catch (err) {
    if (err?.code === "ENOENT") {
      // A response file without its meta file is a broken fixture, not a missing one.
      const bodyExists = await readFile(file, "utf8").then(() => true, () => false);
      return bodyExists
        ? { url: req.url, status: "error", error: `fixture ${file} has no meta file` }
        : { url: req.url, status: "not-recorded" };
    }
    return { url: req.url, status: "error", error: `bad meta file for ${file}: ${err.message}` };
  }
  if (meta.url !== req.url) return { url: req.url, status: "error", error: `meta file of ${file} names ${meta.url}` };
  if (meta.status === 404) return { url: req.url, status: "not-found", meta };
  const body = await readFile(file, "utf8");
  return { url: req.url, status: "ok", body, contentType: meta.contentType ?? "", meta };
}

class SizeError extends Error {}

async function readCapped(res, maxBytes) {
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new SizeError(`response of ${declared} bytes is over the ${maxBytes}-byte cap`);
  if (!res.body) return "";
  const chunks = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new SizeError(`response is over the ${maxBytes}-byte cap`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function retryAfterMs(value, fallback) {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 10) * 1000 : fallback;
}

function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

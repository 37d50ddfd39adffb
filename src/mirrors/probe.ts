// One bounded request to an endpoint: does it answer at all, and how fast. Any HTTP answer counts
// (a registry's 401, an index's 404 on its root): the question is whether the network gets there.
// Nothing is read beyond the status line and headers.

export type ProbeState = "answers" | "timeout" | "refused" | "unreachable";

export interface ProbeResult {
  url: string;
  state: ProbeState;
  /** the HTTP status, when it answered */
  status?: number;
  ms: number;
  /** why it did not answer, in a few words */
  detail?: string;
}

const WHY: Record<string, string> = {
  ENOTFOUND: "host name not resolved",
  EAI_AGAIN: "host name not resolved (DNS did not answer)",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_SOCKET: "connection closed",
};

function cause(err: unknown): { code?: string; message: string } {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  return { code: e.cause?.code, message: e.cause?.message ?? e.message ?? String(err) };
}

export async function probe(url: string, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(url, { method: "GET", redirect: "manual", signal: controller.signal, headers: { "user-agent": "cuda-scaffold doctor --network" } });
    await res.body?.cancel().catch(() => undefined);
    return { url, state: "answers", status: res.status, ms: elapsed() };
  } catch (err) {
    if (controller.signal.aborted) return { url, state: "timeout", ms: elapsed(), detail: `no answer within ${timeoutMs} ms` };
    const { code, message } = cause(err);
    if (code === "ECONNREFUSED") return { url, state: "refused", ms: elapsed(), detail: "connection refused" };
    return { url, state: "unreachable", ms: elapsed(), detail: code ? `${WHY[code] ?? "failed"} (${code})` : message.slice(0, 80) };
  } finally {
    clearTimeout(timer);
  }
}

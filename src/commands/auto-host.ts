// `--gpu auto` and `--driver auto`: take the values from this host (or a --from folder of saved
// outputs), before the request is parsed, so the lock file records the values used. An arm64
// host (aarch64, or a GH200/GB200/GB10) selects --platform linux/arm64; a Jetson is refused.
import { matrix } from "../matrix/data.js";
import { fail } from "../errors.js";
import { printable } from "../terminal-text.js";
import { inspectHost, probeHost, type HostFacts } from "../doctor/index.js";
import { arm64GpuByName, hostPlatform, withCapabilities } from "./host-stacks.js";
import type { RequestOptions } from "../request/request-options.js";
import { DRIVER_VERSION } from "../request/parse-request.js";

function refuseJetson(opts: RequestOptions): never {
  const which = [opts.gpu === "auto" && "--gpu auto", opts.driver === "auto" && "--driver auto"].filter(Boolean).join(" and ");
  fail({
    code: "unsupported-gpu",
    message: `${which}: this host is a Jetson (L4T) board, and cuda-scaffold generates for x86_64 and SBSA (Grace) hosts only: their nvidia/cuda images and CUDA wheels are not built for L4T.`,
    hint: `${matrix.arm64.jetson.pointer} (${matrix.arm64.jetson.source})`,
  });
}

function driverOf(facts: HostFacts): string {
  if (!facts.driver) fail({ code: "invalid-value", message: "--driver auto: no NVIDIA driver found on this host (nvidia-smi and /proc/driver/nvidia/version gave none).", hint: "Pass the driver version instead, e.g. --driver 535.104.05, or run `cuda-scaffold doctor` to see what is missing." });
  // The shape parse-request accepts for --driver, checked here so that the message names `auto`.
  if (!DRIVER_VERSION.test(facts.driver)) {
    fail({ code: "invalid-value", message: `--driver auto: the driver this host reports (${printable(facts.driver, 40)}) is not an NVIDIA driver version this tool can use.`, hint: "Pass the driver version instead, e.g. --driver 535.104.05, or run `cuda-scaffold doctor` to see what the host reports." });
  }
  return facts.driver;
}

/** The host's GPUs as --gpu entries: an arm64-only GPU by its name (gh200, gb200, gb10: the
 *  request then selects linux/arm64 itself), any other by its compute capability (sm_90). */
function gpusOf(facts: HostFacts): string {
  const entries = withCapabilities(matrix, facts.gpus).map((g) => arm64GpuByName(matrix, g.name)?.id ?? (g.computeCapability ? `sm_${g.computeCapability.replace(".", "")}` : null));
  const known = [...new Set(entries.filter((e): e is string => e !== null))];
  if (known.length === 0) fail({ code: "invalid-value", message: "--gpu auto: no NVIDIA GPU with a known compute capability found on this host.", hint: "Name the GPUs instead, e.g. --gpu a100, or run `cuda-scaffold doctor`." });
  return known.join(",");
}

export async function resolveAuto<T extends RequestOptions>(opts: T, from?: string): Promise<T> {
  if (opts.gpu !== "auto" && opts.driver !== "auto") return opts;
  const facts = inspectHost(await probeHost(from ? { from, fromOption: "--host-from" } : {}));
  if (facts.jetson) refuseJetson(opts);
  const out = { ...opts };
  if (opts.driver === "auto") out.driver = driverOf(facts);
  if (opts.gpu === "auto") {
    out.gpu = gpusOf(facts);
    // An explicit --platform is kept (a cross build); parse-request refuses linux/amd64 with a Grace GPU.
    if (opts.platform === undefined && hostPlatform(matrix, facts) === "linux/arm64") out.platform = "linux/arm64";
  }
  return out;
}

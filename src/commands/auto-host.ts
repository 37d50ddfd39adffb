// `--gpu auto` and `--driver auto`: take the values from this host (or a --from folder of saved
// outputs), before the request is parsed, so the lock file records the values used.
import { matrix } from "../matrix/data.js";
import { fail } from "../errors.js";
import { printable } from "../terminal-text.js";
import { inspectHost, probeHost } from "../doctor/index.js";
import { withCapabilities } from "./host-stacks.js";
import type { RequestOptions } from "../request/request-options.js";

export async function resolveAuto<T extends RequestOptions>(opts: T, from?: string): Promise<T> {
  if (opts.gpu !== "auto" && opts.driver !== "auto") return opts;
  const facts = inspectHost(await probeHost(from ? { from, fromOption: "--host-from" } : {}));
  const out = { ...opts };
  if (opts.driver === "auto") {
    if (!facts.driver) fail({ code: "invalid-value", message: "--driver auto: no NVIDIA driver found on this host (nvidia-smi and /proc/driver/nvidia/version gave none).", hint: "Pass the driver version instead, e.g. --driver 535.104.05, or run `cuda-scaffold doctor` to see what is missing." });
    // The same shape parse-request accepts for --driver, checked here so that the message names `auto`.
    if (!/^[0-9]{3}\.[0-9]{1,3}(\.[0-9]{1,3})?$/.test(facts.driver)) {
      fail({ code: "invalid-value", message: `--driver auto: the driver this host reports (${printable(facts.driver, 40)}) is not an NVIDIA driver version this tool can use.`, hint: "Pass the driver version instead, e.g. --driver 535.104.05, or run `cuda-scaffold doctor` to see what the host reports." });
    }
    out.driver = facts.driver;
  }
  if (opts.gpu === "auto") {
    const ccs = [...new Set(withCapabilities(matrix, facts.gpus).map((g) => g.computeCapability).filter((c): c is string => c !== null))];
    if (ccs.length === 0) fail({ code: "invalid-value", message: "--gpu auto: no NVIDIA GPU with a known compute capability found on this host.", hint: "Name the GPUs instead, e.g. --gpu a100, or run `cuda-scaffold doctor`." });
    out.gpu = ccs.map((c) => `sm_${c.replace(".", "")}`).join(",");
  }
  return out;
}

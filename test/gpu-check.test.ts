// The `gpu-check` script baked into every Dockerfile (templates/partials/gpu-check.hbs): it parses
// as Python 3.5 for every combination of flags, and with no GPU here it fails, or with
// `--gpus none` (gpuOptional) runs its NumPy round trip, matmul and conv2d on the CPU and exits 0.
// The frameworks are small NumPy-backed stand-ins written below; the bare CUDA check loads a
// stand-in libcudart/libcudnn compiled with cc. The real GPU run is recorded in fixtures/gpu-check/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Handlebars from "handlebars";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";

const root = join(dirname(new URL(import.meta.url).pathname), "..");
const FRAMEWORKS = ["torch", "tensorflow", "jax", "paddle", "cuda"] as const;
type Framework = (typeof FRAMEWORKS)[number];
const FLAG: Record<Framework, string> = {
  torch: "checkTorch",
  tensorflow: "checkTensorflow",
  jax: "checkJax",
  paddle: "checkPaddle",
  cuda: "checkCuda",
};

// Registered and rendered the way the project does: precompiled with noEscape and strict.
const hb = Handlebars.create();
hb.registerPartial("gpu-check", hb.compile(readFileSync(join(root, "templates/partials/gpu-check.hbs"), "utf8"), { noEscape: true, strict: true }));
const dockerfileLike = hb.compile("{{> gpu-check}}", { noEscape: true, strict: true });

/** tensorflowXla: the check of a TensorFlow build that compiles with XLA (2.11-2.13 on the system CUDA). */
function render(frameworks: Framework[], gpuOptional: boolean, cudaMajor = "12", tensorflowXla = false): string {
  const view: Record<string, unknown> = { gpuOptional, cudaMajor, checkTensorflowXla: tensorflowXla };
  for (const f of FRAMEWORKS) view[FLAG[f]] = frameworks.includes(f);
  return dockerfileLike(view);
}

function probe(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

// The real interpreter, so the runs below can use a PATH without nvidia-smi (and without pyenv shims):
// the first python3 that has NumPy (the one on PATH, then Debian's, which .ci/run gives python3-numpy),
// else the one on PATH for the grammar checks.
const pythons = ["python3", "/usr/bin/python3"]
  .map((cmd) => probe(cmd, ["-c", "import sys; print(sys.executable)"]))
  .filter((p): p is string => p !== null);
const withNumpy = pythons.find((p) => probe(p, ["-c", "import numpy"]) !== null);
const python = withNumpy ?? pythons[0] ?? null;
const hasNumpy = withNumpy !== undefined;
const hasCc = probe("cc", ["--version"]) !== null;

// ---- NumPy-backed stand-ins for the frameworks: just the API gpu-check uses, CPU only. ----
const STUBS: Record<string, string> = {
  "_fake_common.py": `
import numpy as np

def conv_nchw(x, w):
    """Valid 2-D convolution, NCHW image and OIHW kernel (tensordot, unlike gpu-check's einsum)."""
    n, _, h, wd = x.shape
    o, _, kh, kw = w.shape
    out = np.zeros((n, o, h - kh + 1, wd - kw + 1), dtype=np.float32)
    for i in range(kh):
        for j in range(kw):
            window = x[:, :, i:i + h - kh + 1, j:j + wd - kw + 1]
            out += np.tensordot(window, w[:, :, i, j], axes=([1], [1])).transpose(0, 3, 1, 2)
    return out

def maybe_wrong(array):
    import os
    return array + 1 if os.environ.get("FAKE_WRONG") == "1" else array
`,
  "torch/__init__.py": `
from _fake_common import maybe_wrong
__version__ = "1.0.0+fake"

class version:
    cuda = None

class _cudnn:
    enabled = True
    @staticmethod
    def version():
        return None
    @staticmethod
    def is_available():
        return False

class backends:
    cudnn = _cudnn

class cuda:
    @staticmethod
    def is_available():
        return False
    @staticmethod
    def get_device_name(index=0):
        raise AssertionError("Torch not compiled with CUDA enabled")

class device(object):
    def __init__(self, kind):
        self.type = kind

class Tensor(object):
    def __init__(self, array):
        self.array = array
    def to(self, dev):
        if dev.type != "cpu":
            raise AssertionError("Torch not compiled with CUDA enabled")
        return Tensor(self.array.copy())
    def cpu(self):
        return self
    def numpy(self):
        return self.array
    def __matmul__(self, other):
        return Tensor(maybe_wrong(self.array.dot(other.array)))

def from_numpy(array):
    return Tensor(array)

from . import nn
`,
  "torch/nn/__init__.py": "from . import functional\n",
  "torch/nn/functional.py": `
from _fake_common import conv_nchw

def conv2d(x, w):
    import torch
    return torch.Tensor(conv_nchw(x.array, w.array))
`,
  // FAKE_TF1=1: TensorFlow 1.x, graph mode with a session and no tf.config.list_physical_devices.
  "tensorflow/__init__.py": `
import contextlib
import os
import numpy as _np
from _fake_common import conv_nchw
TF1 = os.environ.get("FAKE_TF1") == "1"
__version__ = "1.15.0+fake" if TF1 else "2.0.0+fake"

class sysconfig:
    pass

class config:
    pass

if not TF1:
    sysconfig.get_build_info = staticmethod(lambda: {"is_cuda_build": False})
    config.list_physical_devices = staticmethod(lambda kind: [])

_devices = ["/CPU:0"]

@contextlib.contextmanager
def device(name):
    _devices.append(name)
    try:
        yield
    finally:
        _devices.pop()

def executing_eagerly():
    return not TF1

class Tensor(object):
    def __init__(self, compute):
        self.compute = compute
    def numpy(self):
        if TF1:
            raise AttributeError("'Tensor' object has no attribute 'numpy'")
        return self.compute()
    def __truediv__(self, other):
        return _op(lambda: self.compute() / other)

def _op(compute):
    if _devices[-1].upper() != "/CPU:0":
        raise RuntimeError("Could not satisfy device specification " + _devices[-1])
    if TF1:
        return Tensor(compute)
    value = compute()
    return Tensor(lambda: value)

def constant(value):
    array = _np.array(value)
    return _op(lambda: array)

def identity(t):
    return _op(lambda: t.compute().copy())

def matmul(a, b):
    return _op(lambda: a.compute().dot(b.compute()))

def exp(t):
    return _op(lambda: _np.exp(t.compute()))

# FAKE_NO_PTXAS=1: XLA cannot compile, as without CUDA's ptxas.
def function(f, jit_compile=None):
    def compiled(*args):
        if jit_compile and os.environ.get("FAKE_NO_PTXAS") == "1":
            raise RuntimeError("INTERNAL: Failed to launch ptxas\\nmore detail")
        return f(*args)
    return compiled

class nn:
    @staticmethod
    def conv2d(x, w, strides, padding):
        assert list(strides) == [1, 1, 1, 1] and padding == "VALID"
        return _op(lambda: conv_nchw(x.compute().transpose(0, 3, 1, 2), w.compute().transpose(3, 2, 0, 1)).transpose(0, 2, 3, 1))

class _Session(object):
    def run(self, tensor):
        return tensor.compute()

class compat:
    class v1:
        Session = _Session
`,
  "tensorflow/python/__init__.py": "",
  "tensorflow/python/client/__init__.py": "",
  "tensorflow/python/client/device_lib.py": `
class _Device(object):
    name = "/device:CPU:0"
    device_type = "CPU"

def list_local_devices():
    return [_Device()]
`,
  "jax/__init__.py": `
import numpy as _np
__version__ = "0.4.0+fake"

class _Device(object):
    platform = "cpu"
    device_kind = "cpu"
    id = 0
    def __repr__(self):
        return "CpuDevice(id=0)"

_cpu = _Device()

class Array(object):
    def __init__(self, array):
        self.array = _np.asarray(array)
    def __array__(self, dtype=None, copy=None):
        return self.array if dtype is None else self.array.astype(dtype)
    def __matmul__(self, other):
        import os
        if os.environ.get("FAKE_NO_PTXAS") == "matmul":
            raise RuntimeError("INTERNAL: No candidates could be compiled.")
        return Array(self.array.dot(other.array))
    def __truediv__(self, other):
        return Array(self.array / other)

# FAKE_NO_PTXAS=1: XLA cannot compile, as without CUDA's ptxas.
def jit(f):
    def compiled(*args):
        import os
        if os.environ.get("FAKE_NO_PTXAS") == "1":
            raise RuntimeError("INTERNAL: Failed to launch ptxas\\nmore detail")
        return f(*args)
    return compiled

def devices(backend=None):
    if backend not in (None, "cpu"):
        raise RuntimeError("Unknown backend " + backend)
    return [_cpu]

def device_put(x, device=None):
    assert device is None or device is _cpu
    return Array(_np.asarray(x))

from . import lax, numpy
`,
  "jax/numpy.py": `
import numpy as _np

def asarray(a):
    import jax
    return jax.Array(_np.array(a))

def exp(a):
    import jax
    return jax.Array(_np.exp(a.array))
`,
  "jax/lax.py": `
from _fake_common import conv_nchw

def conv_general_dilated(lhs, rhs, window_strides, padding):
    import jax
    assert tuple(window_strides) == (1, 1) and padding == "VALID"
    return jax.Array(conv_nchw(lhs.array, rhs.array))
`,
  // FAKE_PADDLE1=1: PaddlePaddle 1.x, dygraph through paddle.fluid, no paddle.to_tensor.
  "paddle/__init__.py": `
import os
import numpy as _np
from _fake_common import conv_nchw
PADDLE1 = os.environ.get("FAKE_PADDLE1") == "1"
__version__ = "1.8.5+fake" if PADDLE1 else "2.6.0+fake"
from . import version

class Tensor(object):
    def __init__(self, array):
        self.array = array
    def numpy(self):
        return self.array

if not PADDLE1:
    _device = ["cpu"]

    def is_compiled_with_cuda():
        return False

    class device:
        class cuda:
            @staticmethod
            def device_count():
                return 0

    def disable_static():
        pass

    def set_device(name):
        if name != "cpu":
            raise ValueError("The device should not be 'gpu', since PaddlePaddle is not compiled with CUDA")
        _device[0] = name

    def to_tensor(a):
        return Tensor(_np.array(a))

    def matmul(a, b):
        return Tensor(a.array.dot(b.array))

    class nn:
        class functional:
            @staticmethod
            def conv2d(x, w):
                return Tensor(conv_nchw(x.array, w.array))
`,
  "paddle/version.py": `
def cuda():
    return "False"

def cudnn():
    return "False"
`,
  "paddle/fluid/__init__.py": `
import contextlib
import numpy as _np
from _fake_common import conv_nchw
from paddle import Tensor

def is_compiled_with_cuda():
    return False

class core:
    @staticmethod
    def get_cuda_device_count():
        return 0

class CPUPlace(object):
    pass

class CUDAPlace(object):
    def __init__(self, index):
        raise RuntimeError("Cannot use CUDAPlace in CPU only version")

class ParamAttr(object):
    def __init__(self, initializer=None):
        self.initializer = initializer

class initializer:
    class NumpyArrayInitializer(object):
        def __init__(self, value):
            self.value = value

_guarded = [False]

@contextlib.contextmanager
def _guard(place):
    assert isinstance(place, CPUPlace)
    _guarded[0] = True
    try:
        yield
    finally:
        _guarded[0] = False

def _to_variable(a):
    assert _guarded[0], "dygraph needs fluid.dygraph.guard()"
    return Tensor(_np.array(a))

class _Conv2D(object):
    def __init__(self, num_channels, num_filters, filter_size, bias_attr=None, param_attr=None):
        self.weight = param_attr.initializer.value
        assert self.weight.shape == (num_filters, num_channels) + tuple(filter_size) and bias_attr is False
    def __call__(self, x):
        return Tensor(conv_nchw(x.array, self.weight))

class dygraph:
    guard = staticmethod(_guard)
    to_variable = staticmethod(_to_variable)
    Conv2D = _Conv2D

class layers:
    @staticmethod
    def matmul(a, b):
        return Tensor(a.array.dot(b.array))
`,
  // A NumPy that does not import, first on PYTHONPATH in the missing-NumPy case.
  "no-numpy/numpy/__init__.py": 'raise ImportError("No module named numpy (stand-in)")\n',
};

const C_LIBS: Record<string, string> = {
  "libcudart.so": "int cudaRuntimeGetVersion(int *v) { *v = 12040; return 0; }\nint cudaGetDeviceCount(int *n) { *n = 0; return 100; }\n",
  "libcudnn.so.9": "#include <stddef.h>\nsize_t cudnnGetVersion(void) { return 91002; }\n",
};

let work = "";
let stubs = "";
let libs = "";
let fakeBin = "";
// PATH without any directory that holds an nvidia-smi.
const pathWithoutSmi = (process.env.PATH ?? "").split(delimiter).filter((d) => d && !existsSync(join(d, "nvidia-smi"))).join(delimiter);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "gpu-check-"));
  stubs = join(work, "stubs");
  for (const [path, text] of Object.entries(STUBS)) {
    mkdirSync(dirname(join(stubs, path)), { recursive: true });
    writeFileSync(join(stubs, path), text.trimStart());
  }
  fakeBin = join(work, "bin");
  mkdirSync(fakeBin);
  writeFileSync(join(fakeBin, "nvidia-smi"), '#!/bin/sh\necho "NVIDIA Stand-in GPU, 580.00"\n');
  chmodSync(join(fakeBin, "nvidia-smi"), 0o755);
  libs = join(work, "lib");
  mkdirSync(libs);
  if (hasCc) {
    for (const [name, source] of Object.entries(C_LIBS)) {
      writeFileSync(join(work, `${name}.c`), source);
      const r = spawnSync("cc", ["-shared", "-fPIC", "-o", join(libs, name), join(work, `${name}.c`)], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
    }
  }
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

interface RunOptions {
  smi?: boolean; // a stand-in nvidia-smi on PATH that lists a GPU
  env?: Record<string, string>;
  noNumpy?: boolean;
}

function runScript(script: string, { smi = false, env = {}, noNumpy = false }: RunOptions = {}) {
  const file = join(work, `gpu-check-${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, script);
  const pythonPath = noNumpy ? [join(stubs, "no-numpy"), stubs] : [stubs];
  const r = spawnSync(python!, [file], {
    encoding: "utf8",
    timeout: 20_000,
    env: {
      HOME: process.env.HOME ?? work,
      PATH: smi ? `${fakeBin}${delimiter}${pathWithoutSmi}` : pathWithoutSmi,
      PYTHONPATH: pythonPath.join(delimiter),
      LD_LIBRARY_PATH: libs,
      PYTHONDONTWRITEBYTECODE: "1",
      ...env,
    },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("gpu-check rendering", () => {
  const combos: { frameworks: Framework[]; gpuOptional: boolean }[] = [];
  for (let bits = 0; bits < 1 << FRAMEWORKS.length; bits++) {
    for (const gpuOptional of [false, true]) combos.push({ frameworks: FRAMEWORKS.filter((_, i) => bits & (1 << i)), gpuOptional });
  }

  it("renders GPU_OPTIONAL from gpuOptional and only the selected framework checks", () => {
    expect(render(["torch"], false)).toContain("GPU_OPTIONAL = False\n");
    expect(render(["torch"], true)).toContain("GPU_OPTIONAL = True\n");
    const jaxOnly = render(["jax"], false);
    expect(jaxOnly).toContain("def check_jax(gpu):");
    expect(jaxOnly).not.toMatch(/check_torch|check_tensorflow|check_paddle|check_cuda/);
    expect(render(["cuda"], false, "13")).toContain('"libcudart.so.13"');
    for (const { frameworks, gpuOptional } of combos) {
      const text = render(frameworks, gpuOptional);
      expect(text.startsWith("#!/opt/venv/bin/python\n")).toBe(true);
      expect(text).not.toMatch(/\{\{|\}\}|^GPU_CHECK$/m);
      expect(text).not.toMatch(/\n\n\n\n/);
    }
  });

  it.skipIf(python === null)(`parses with Python 3.5's grammar for all ${combos.length} flag combinations`, () => {
    const scripts = combos.map((c) => ({ name: `${c.frameworks.join("+") || "none"} gpuOptional=${c.gpuOptional}`, text: render(c.frameworks, c.gpuOptional) }));
    const check = [
      "import ast, json, sys",
      "bad = []",
      "for s in json.load(sys.stdin):",
      "    try:",
      "        ast.parse(s['text'], feature_version=(3, 5))",
      "    except SyntaxError as err:",
      "        bad.append('{}: {}'.format(s['name'], err))",
      "print('\\n'.join(bad))",
    ].join("\n");
    const r = spawnSync(python!, ["-c", check], { input: JSON.stringify(scripts), encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("");
  });
});

describe.skipIf(!hasNumpy)("gpu-check run here (no GPU, stand-in frameworks)", () => {
  const frameworkChecks: Framework[] = ["torch", "tensorflow", "jax", "paddle"];
  const runnable = (f: Framework) => f !== "cuda" || hasCc;

  describe.each(FRAMEWORKS)("%s", (framework) => {
    it.skipIf(!runnable(framework))("no nvidia-smi, gpuOptional=false: FAIL no GPU visible, exit 1", () => {
      const r = runScript(render([framework], false));
      expect(r.out).toMatch(/^FAIL no GPU visible: nvidia-smi did not run \(.*\) \(start the container with GPU access: docker run --gpus all/m);
      expect(r.out).not.toContain("OK   ");
      expect(r.code, r.out).toBe(1);
    });

    it.skipIf(!runnable(framework))("no nvidia-smi, gpuOptional=true: checks on the CPU, OK   CPU mode, exit 0", () => {
      const r = runScript(render([framework], true));
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain("NOTE no GPU visible: nvidia-smi did not run");
      expect(r.out).toMatch(/\nOK   CPU mode: no GPU visible \(generated with --gpus none\)\n$/);
      expect(r.out).not.toContain("FAIL");
      if (framework === "cuda") {
        expect(r.out).toContain("CUDA runtime 12.4 (12040)");
        expect(r.out).toContain("cuDNN 9.10.2 (libcudnn.so.9)");
      } else {
        expect(r.out).toMatch(/^numpy \d+\.\d+/m);
        expect(r.out).toContain(`OK   NumPy round trip through ${framework} on `);
        expect(r.out).toMatch(/^OK   matmul on .*CPU.*: -?\d+\.\d$/im);
        expect(r.out).toMatch(/^OK   conv2d on .*CPU/im);
      }
    });

    it.skipIf(!runnable(framework))("nvidia-smi lists a GPU the framework cannot use: FAIL, or CPU mode with gpuOptional", () => {
      const failed = runScript(render([framework], false), { smi: true });
      expect(failed.out).toContain("GPU  NVIDIA Stand-in GPU, 580.00");
      const what = {
        torch: "FAIL torch cannot use the GPU (",
        tensorflow: "FAIL tensorflow sees no GPU (",
        jax: "FAIL jax sees no GPU (",
        paddle: "FAIL paddle sees no GPU (",
        cuda: "FAIL the CUDA runtime sees no GPU (cudaGetDeviceCount error 100) (no GPU device",
      }[framework];
      expect(failed.out).toContain(what);
      expect(failed.code, failed.out).toBe(1);

      const cpu = runScript(render([framework], true), { smi: true });
      expect(cpu.code, cpu.out).toBe(0);
      expect(cpu.out).toMatch(new RegExp(`^NOTE ${what.slice("FAIL ".length, what.indexOf(" ("))}.*: checking on the CPU instead$`, "m"));
      expect(cpu.out).toContain("OK   CPU mode: no GPU visible (generated with --gpus none)");
    });
  });

  it("TensorFlow 1.x (graph mode, a session, device_lib) runs on the CPU", () => {
    const r = runScript(render(["tensorflow"], true), { smi: true, env: { FAKE_TF1: "1" } });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("tensorflow 1.15.0+fake built for CUDA ?, cuDNN ?");
    expect(r.out).toContain("OK   conv2d on CPU");
  });

  it("jax, and TensorFlow where the build compiles with XLA, check an XLA-compiled exp(matmul); other TensorFlow builds do not", () => {
    const jax = runScript(render(["jax"], true));
    expect(jax.code, jax.out).toBe(0);
    expect(jax.out).toMatch(/^OK   XLA-compiled exp\(matmul\) on CpuDevice\(id=0\) \(cpu\)$/m);
    const tfXla = runScript(render(["tensorflow"], true, "11", true));
    expect(tfXla.code, tfXla.out).toBe(0);
    expect(tfXla.out).toContain("OK   XLA-compiled exp(matmul) on CPU");
    const tf = runScript(render(["tensorflow"], true));
    expect(tf.code, tf.out).toBe(0);
    expect(tf.out).not.toContain("XLA");
    expect(render(["tensorflow"], false)).not.toContain("jit_compile=True");
    expect(render(["tensorflow"], false, "12", true)).toContain("jit_compile=True");
  });

  it.each([
    ["jax", render(["jax"], true)],
    ["tensorflow", render(["tensorflow"], true, "11", true)],
  ])("%s: XLA that cannot compile (no ptxas) is a FAIL naming ptxas and libdevice, exit 1", (framework, script) => {
    const r = runScript(script, { env: { FAKE_NO_PTXAS: "1" } });
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain("OK   conv2d on ");
    expect(r.out).toMatch(new RegExp(`^FAIL ${framework} XLA-compiled exp\\(matmul\\) on .*: RuntimeError: INTERNAL: Failed to launch ptxas \\(XLA cannot compile for this device: CUDA's ptxas or libdevice is missing`, "m"));
  });

  it("jax: a matmul XLA cannot compile (its autotuner, without ptxas) is a FAIL with the XLA advice, not the driver's", () => {
    const r = runScript(render(["jax"], true), { env: { FAKE_NO_PTXAS: "matmul" } });
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/^FAIL jax matmul on .*: RuntimeError: INTERNAL: No candidates could be compiled\. \(XLA cannot compile for this device: CUDA's ptxas or libdevice is missing/m);
  });

  it("PaddlePaddle 1.x (fluid dygraph) runs on the CPU", () => {
    const r = runScript(render(["paddle"], true), { env: { FAKE_PADDLE1: "1" } });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("paddle 1.8.5+fake");
    expect(r.out).toContain("OK   conv2d on CPU");
  });

  it("all four frameworks in one image print numpy once and report CPU mode once", () => {
    const r = runScript(render(frameworkChecks, true));
    expect(r.code, r.out).toBe(0);
    expect(r.out.match(/^numpy /gm)).toHaveLength(1);
    expect(r.out.match(/^OK   conv2d on /gm)).toHaveLength(4);
    expect(r.out.match(/^OK   CPU mode/gm)).toHaveLength(1);
  });

  it("a wrong result is a FAIL, even in CPU mode", () => {
    const r = runScript(render(["torch"], true), { env: { FAKE_WRONG: "1" } });
    expect(r.out).toContain("OK   NumPy round trip through torch on CPU");
    expect(r.out).toMatch(/^FAIL torch matmul on CPU gave wrong values \(/m);
    expect(r.code, r.out).toBe(1);
  });

  it("a missing framework is a FAIL with the import error, not a bare traceback", () => {
    const r = runScript(render(["torch"], true), { env: { PYTHONPATH: join(work, "nowhere") } });
    expect(r.out).toMatch(/^FAIL ModuleNotFoundError: No module named 'torch' \(/m);
    expect(r.code, r.out).toBe(1);
  });
});

describe.skipIf(python === null)("gpu-check without NumPy", () => {
  it.each(["torch", "tensorflow", "jax", "paddle"] as Framework[])("%s: FAIL numpy does not import, exit 1", (framework) => {
    const r = runScript(render([framework], true), { noNumpy: true });
    expect(r.out).toMatch(/^FAIL numpy does not import \(.*\) \(the frameworks need NumPy/m);
    expect(r.code, r.out).toBe(1);
  });
});

// Not a test of the script's logic: a record of one run on a real GPU (see fixtures/gpu-check/README.md).
describe("record of a real GPU run (fixtures/gpu-check/h200-*.txt)", () => {
  const dir = join(root, "fixtures/gpu-check");

  it("the recorded scripts are the partial rendered for a torch and a jax stack (node fixtures/gpu-check/render.mjs)", () => {
    expect(readFileSync(join(dir, "gpu-check-torch.py"), "utf8")).toBe(render(["torch"], false, "13"));
    expect(readFileSync(join(dir, "gpu-check-jax.py"), "utf8")).toBe(render(["jax"], false, "13"));
  });

  it.each(["torch", "jax"])("h200-%s.txt records exit 0 with the versions and OK for round trip, matmul and conv2d (and jax's XLA check)", (framework) => {
    const text = readFileSync(join(dir, `h200-${framework}.txt`), "utf8");
    expect(text.split("\n")[0]).toMatch(/^# .*python3 fixtures\/gpu-check\/gpu-check-.*2026-12-02.*H200.*driver \d+/);
    if (framework === "jax") expect(text).toMatch(/^OK   XLA-compiled exp\(matmul\) on .*H200.*$/m);
    expect(text).toMatch(/^GPU  NVIDIA H200/m);
    expect(text).toMatch(/^numpy \d+\.\d+/m);
    expect(text).toMatch(/cuDNN \d+\.\d+\.\d+/);
    expect(text).toMatch(new RegExp(`^OK   NumPy round trip through ${framework} on .*H200`, "m"));
    expect(text).toMatch(/^OK   matmul on .*H200.*: -?\d+\.\d$/m);
    expect(text).toMatch(/^OK   conv2d on .*H200.* \(cuDNN \d+\.\d+\.\d+\)$/m);
    expect(text).not.toMatch(/^FAIL/m);
    expect(text).toMatch(/^# exit code: 0$/m);
  });

  it("h200-jax-no-libdevice.txt: with only libdevice hidden the older checks pass and the XLA-compiled exp fails, so it is the step that catches a missing libdevice", () => {
    const text = readFileSync(join(dir, "h200-jax-no-libdevice.txt"), "utf8");
    expect(text.split("\n")[0]).toMatch(/^# .*mount -t tmpfs none \/usr\/local\/cuda-13\.0\/nvvm\/libdevice.*gpu-check-jax\.py.*2026-12-02.*H200/);
    for (const step of ["NumPy round trip through jax", "matmul", "conv2d"]) expect(text).toMatch(new RegExp(`^OK   ${step} on .*H200`, "m"));
    expect(text).toContain("libdevice is required by this HLO module but was not found");
    expect(text).toMatch(/^FAIL jax XLA-compiled exp\(matmul\) on .*H200.*\(XLA cannot compile for this device: CUDA's ptxas or libdevice is missing/m);
    expect(text).toMatch(/^# exit code: 1$/m);
  });

  it("h200-jax-no-cuda-toolkit.txt: the same jax with the CUDA toolkit hidden cannot compute, and the FAIL gives the XLA advice", () => {
    const text = readFileSync(join(dir, "h200-jax-no-cuda-toolkit.txt"), "utf8");
    expect(text.split("\n")[0]).toMatch(/^# .*unshare -m .*mount -t tmpfs none \/usr\/local\/cuda-13\.0.*gpu-check-jax\.py.*2026-12-02.*H200/);
    expect(text).toContain("Can't find libdevice directory ${CUDA_DIR}/nvvm/libdevice");
    expect(text).toMatch(/^FAIL jax matmul on .*H200.*No candidates could be compiled\. \(XLA cannot compile for this device: CUDA's ptxas or libdevice is missing/m);
    expect(text).toMatch(/^# exit code: 1$/m);
  });
});

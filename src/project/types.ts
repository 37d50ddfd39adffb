// What reading a project's dependency files yields. Everything keeps where it came from (file and
// line, and the text as written) so that messages can quote it.
import type { FrameworkName } from "../matrix/data.js";

export type FileKind = "requirements" | "setup.py" | "setup.cfg" | "pyproject" | "conda" | "pipfile" | "uv.lock" | "poetry.lock";

export interface Origin {
  /** relative to the project folder, with forward slashes */
  file: string;
  /** 1-based, null where a format has no useful line */
  line: number | null;
  /** the entry as written, for quoting */
  text: string;
}

export interface FrameworkPin {
  framework: FrameworkName;
  /** the package named (torch, tensorflow-gpu, jaxlib, paddlepaddle-gpu …) */
  package: string;
  /** PEP 440 specifier without local labels ("==1.9.0", ">=1.7,<1.9", "" for any) */
  spec: string;
  extras: string[];
  origin: Origin;
  /** why the version cannot be kept as written (a wheel by URL, a develop build), or null */
  unpinnable: string | null;
  /** a CPU-only build was named (+cpu, paddlepaddle without -gpu) */
  cpu: boolean;
  /** a lock file's pin: it narrows the others, and a lock resolved for several platforms may list several */
  locked: boolean;
}

export interface CudaHint {
  /** "11.1", or a major alone ("12") */
  cuda: string;
  /** what says so: "+cu111", "cudatoolkit=11.3", "jax[cuda12]", "the cu128 index" */
  via: string;
  origin: Origin;
  /** the framework it speaks for (a +cu111 on torch), or undefined for the whole environment (cudatoolkit) */
  framework?: FrameworkName;
}

export interface PythonPin {
  /** PEP 440 specifier at major.minor precision (">=3.8", "==3.8.*") */
  spec: string;
  origin: Origin;
}

export type DependencyKind = "requirement" | "vcs" | "url" | "local" | "option";

export interface Dependency {
  /** the line to install, as pip reads it in a requirements file */
  line: string;
  /** normalized name, null for options */
  name: string | null;
  kind: DependencyKind;
  origin: Origin;
}

export interface ProjectFile {
  path: string;
  kind: FileKind;
  sha256: string;
}

export interface ProjectNote {
  origin: Origin | null;
  message: string;
}

export interface ProjectReading {
  /** the folder as given */
  dir: string;
  files: ProjectFile[];
  /** dependency files present but not read, with why */
  skipped: { path: string; why: string }[];
  frameworks: FrameworkPin[];
  cudaHints: CudaHint[];
  python: PythonPin[];
  /** to install after the framework, in file order; index options first within each file */
  dependencies: Dependency[];
  /** read and deliberately not installed (provided by the image, conda-only …), each with why */
  notInstalled: { origin: Origin; why: string }[];
  /** conda packages that have no PyPI equivalent, by name */
  condaOnly: Origin[];
  /** project facts worth a warning (computed setup.py values, paths outside the project …) */
  warnings: ProjectNote[];
  /** versions pinned by a lock file (uv.lock, poetry.lock), by normalized name */
  locked: Map<string, { version: string; origin: Origin }>;
  /** packages a framework's build brings (torchvision, jax-cuda12-plugin …), settled once the build is known */
  companions: { framework: FrameworkName; name: string; spec: string; line: string; origin: Origin }[];
  /** lines installed in another form than written, each with why */
  rewrites: { origin: Origin; to: string | null; why: string }[];
}

/** The dependency file names the reader looks for, for messages. */
export const LOOKED_FOR = ["requirements*.txt", "setup.py", "setup.cfg", "pyproject.toml", "environment.yml/.yaml", "Pipfile", "uv.lock", "poetry.lock"];

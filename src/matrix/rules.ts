// Facts kept as rules over release ranges (matrix/wheel-platforms.yaml, matrix/companions.yaml,
// matrix/experimental-python.yaml, matrix/library-compat.yaml):
// which rows apply to one framework build. Pure functions of (matrix, build).
import type { FrameworkName, Matrix } from "./data.js";
import type { CompanionCap, CompanionRequirement, HostCompilerRule, LibraryCompatRule, RuntimeCompilerRule, UnversionedNamesRule, WheelPlatformRule } from "./types.gen.js";
import { satisfies } from "./versions.js";

interface BuildKey {
  framework: FrameworkName;
  version: string;
  cuda: string;
}

interface RangeRow {
  framework: string;
  versions: string;
  cuda?: string[];
}

function applies(row: RangeRow, b: BuildKey): boolean {
  return row.framework === b.framework && satisfies(b.version, row.versions) && (!row.cuda || row.cuda.includes(b.cuda));
}

/** The wheel platform rule of a build: the first that matches. */
export function wheelPlatform(m: Matrix, b: BuildKey): WheelPlatformRule | undefined {
  return m.wheelPlatforms.rules.find((r) => applies(r, b));
}

/** The bounds cuda-scaffold adds for a build (numpy, protobuf, cuDNN wheels …). */
export function capsFor(m: Matrix, b: BuildKey): CompanionCap[] {
  return m.companions.caps.filter((c) => applies(c, b));
}

/** The bounds a build's own metadata declares on shared packages. */
export function requiresFor(m: Matrix, b: BuildKey): CompanionRequirement[] {
  return m.companions.requires.filter((r) => applies(r, b));
}

/** Pythons the framework marked experimental for this release (matrix/experimental-python.yaml). */
export function experimentalPythons(m: Matrix, b: BuildKey): string[] {
  return m.experimentalPython.rules.filter((r) => applies({ ...r, cuda: undefined }, b)).flatMap((r) => r.python);
}

/** How far the system CUDA/cuDNN of a build may stray from the pair it was built with (matrix/library-compat.yaml). */
export function libraryCompat(m: Matrix, b: BuildKey): LibraryCompatRule | undefined {
  return m.libraryCompat.rules.find((r) => applies({ ...r, cuda: undefined }, b));
}

/** The bare library names (libcublas.so) a build's own loader dlopens, which only -dev packages ship (matrix/library-compat.yaml unversionedNames). */
export function unversionedNames(m: Matrix, b: BuildKey): UnversionedNamesRule | undefined {
  return m.libraryCompat.unversionedNames.find((r) => applies({ ...r, cuda: undefined }, b));
}

/** Whether a build compiles GPU code when the program runs, with CUDA's ptxas and libdevice (matrix/library-compat.yaml runtimeCompiler). */
export function runtimeCompiler(m: Matrix, b: BuildKey): RuntimeCompilerRule | undefined {
  return m.libraryCompat.runtimeCompiler.find((r) => applies({ ...r, cuda: undefined }, b));
}

/** Whether a build compiles host (C) code when the program runs, with the system's C compiler (matrix/library-compat.yaml hostCompiler). */
export function hostCompiler(m: Matrix, b: BuildKey): HostCompilerRule | undefined {
  return m.libraryCompat.hostCompiler.find((r) => applies({ ...r, cuda: undefined }, b));
}

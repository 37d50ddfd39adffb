// Types of scripts/load-data.mjs, for the tests that call it.
export declare function loadData(
  root: string,
  only?: string | null,
): { out: Record<string, unknown>; problems: string[]; templates: Record<string, string>; shellParts: Record<string, string> };

// The CLI's subcommands by name. src/cli.ts gives Commander only the one a run names, and the
// code cache's loader (bin/code-cache.cjs) keeps a kind of run per subcommand; a test holds the
// two to the same list.
export const SUBCOMMANDS = ["resolve", "explain", "list", "check", "doctor"] as const;

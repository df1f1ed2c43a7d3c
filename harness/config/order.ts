/**
 * The order files are handed to workers when each project is one file (MTLS_FILES=target): the
 * longest first, by their durations in the last run (vitest's results cache), so that the longest
 * project does not start last and run alone at the end. Files with no recorded duration first, as
 * vitest orders them; equal ones keep their order. vitest's own order keeps each project's files
 * together (a worker is reused only within a project), which one file per project makes moot.
 */
export function longestFirst<T>(files: T[], lastDuration: (file: T) => number | undefined): T[] {
  const rank = (f: T) => lastDuration(f) ?? Infinity;
  return files
    .map((file, i) => ({ file, i, ms: rank(file) }))
    .sort((a, b) => b.ms - a.ms || a.i - b.i)
    .map((x) => x.file);
}

/**
 * Turns `systemd-analyze verify` output into editor diagnostics. The verifier prints
 * `FILE:LINE: message` for parse-level problems and `FILE: message` for load-time refusals; running
 * it through the runtime works the same for both runtimes.
 */

/** A problem at a line of a file (line 0 = the whole file). */
export interface FileDiagnostic {
  line: number;
  message: string;
  severity: 'error' | 'warning';
}

/** Problems that stop a unit from loading; everything else is a warning systemd ignores. */
const ERROR_PATTERN = /Refusing\.|Invalid section header|bad-setting|Failed to load|not executable|is not a/;

/** Picks out the lines of `output` that are about `path` (full path or base name). */
export function parseVerifyOutput(output: string, path: string): FileDiagnostic[] {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const diagnostics: FileDiagnostic[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    const match = /^(\S+?):(?:(\d+):)?\s(.+)$/.exec(line);
    if (!match) continue;
    const [, file, lineNumber, message] = match;
    if (file !== path && file !== base && !file.endsWith(`/${base}`)) continue;
    diagnostics.push({
      line: lineNumber ? Number(lineNumber) : 0,
      message,
      severity: ERROR_PATTERN.test(message) ? 'error' : 'warning',
    });
  }
  return diagnostics;
}

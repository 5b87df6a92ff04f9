/** `systemd-analyze` for the labs: the `verify` verb, with the real tool's usage errors. */
import type { FileSystem } from '../kernel/kernel.ts';
import { verifyUnits } from '../unit-file/verify-units.ts';
import { SYSTEMD_VERSION_BANNER } from './systemctl-status.ts';

// Structural subsets of CommandIO / System (src/emulator/system.ts), so this handler fits CommandHandler.
interface AnalyzeIO { stdout?(text: string): void; stderr(text: string): void; env?: Record<string, string> }
interface AnalyzeSystem { readonly kernel: { readonly fs: FileSystem } }

/** The `systemd-analyze` command: `systemd-analyze verify FILE…` (other verbs are not modelled). */
export async function systemdAnalyze(argv: string[], io: AnalyzeIO, system: AnalyzeSystem): Promise<number> {
  const args = argv.slice(1);
  const files: string[] = [];
  let verb: string | undefined;
  for (const a of args) {
    if (a === '--man=no' || a === '--man=yes' || a === '--man' || a === '--generators=no' || a === '--generators=yes' || a === '--no-pager') continue;
    if (a === '--version') {
      io.stdout?.(SYSTEMD_VERSION_BANNER);
      return 0;
    }
    if (a.startsWith('-')) {
      io.stderr(a.startsWith('--') ? `systemd-analyze: unrecognized option '${a}'\n` : `systemd-analyze: invalid option -- '${a.slice(1, 2)}'\n`);
      return 1;
    }
    if (verb === undefined) verb = a;
    else files.push(a);
  }
  if (verb === undefined) {
    io.stderr('This emulator models only "systemd-analyze verify FILE...".\n');
    return 1;
  }
  if (verb !== 'verify') {
    io.stderr(`Unknown command verb '${verb}'.\n`);
    return 1;
  }
  if (files.length === 0) {
    io.stderr('Too few arguments.\n');
    return 1;
  }
  const result = verifyUnits(files, system.kernel.fs, { cwd: io.env?.PWD ?? '/' });
  for (const line of [...result.lines, ...result.notes]) io.stderr(line + '\n');
  return result.exitCode;
}

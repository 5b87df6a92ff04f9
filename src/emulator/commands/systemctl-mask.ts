/**
 * `systemctl mask` and `unmask` (src/shared/install.c unit_file_mask()/unit_file_unmask(), systemd 252):
 * mask links /etc/systemd/system/NAME to /dev/null, which shadows the unit file in /usr/lib (or /lib) so
 * that nothing — a socket, a dependency, a person — can load and start it; unmask removes that link. A
 * real file of the same name in /etc/systemd/system cannot be replaced: "File … already exists".
 */
import { CONFIG_DIR, formatInstallChange, type InstallChange } from '../manager/install.ts';
import type { Manager } from '../manager/manager.ts';
import type { CommandIO } from '../system.ts';

/** What mask/unmask need from systemctl. */
export interface MaskContext {
  io: CommandIO;
  manager: Manager;
  /** Unit names, already mangled (`report` → `report.service`). */
  names: string[];
  /** --now: stop the units afterwards (as systemctl does, through a stop job). */
  stopNow?: (names: string[]) => Promise<number>;
  /** The directory of the mask links: /etc/systemd/system, or /run/systemd/system with --runtime. */
  dir?: string;
}

/** The notice systemctl prints for a unit it cannot find (mask and unmask go on anyway). */
function warnMissing(ctx: MaskContext, name: string): void {
  if (ctx.manager.peekUnitFile(name).loadState === 'not-found') {
    ctx.io.stderr(`Unit ${name} does not exist, proceeding anyway.\n`);
  }
}

/** `systemctl mask [--now] UNIT…`: exit 0, or 1 when a real file is in the way. */
export async function maskUnits(ctx: MaskContext): Promise<number> {
  const fs = ctx.manager.kernel.fs;
  const changes: InstallChange[] = [];
  for (const name of ctx.names) {
    if (name.includes('/')) {
      ctx.io.stderr(`Failed to get properties: Unit name ${name} is neither a valid invocation ID nor unit name.\n`);
      return 1;
    }
    warnMissing(ctx, name);
    const path = `${ctx.dir ?? CONFIG_DIR}/${name}`;
    const current = fs.lstat(path);
    if (current?.type === 'symlink' && fs.readlink(path) === '/dev/null') continue;
    if (current && current.type !== 'symlink') {
      ctx.io.stderr(`Failed to mask unit: File ${path} already exists.\n`);
      return 1;
    }
    if (current) fs.unlink(path);
    const parent = path.slice(0, path.lastIndexOf('/'));
    if (!fs.stat(parent)) fs.mkdir(parent, { recursive: true, mode: 0o755 });
    fs.symlink('/dev/null', path);
    changes.push({ type: 'symlink', path, source: '/dev/null' });
  }
  for (const change of changes) ctx.io.stderr(formatInstallChange(change) + '\n');
  ctx.manager.daemonReload();
  if (ctx.stopNow) return ctx.stopNow(ctx.names);
  return 0;
}

/** `systemctl unmask UNIT…`: removes the /dev/null links; always exit 0. */
export async function unmaskUnits(ctx: MaskContext): Promise<number> {
  const fs = ctx.manager.kernel.fs;
  const changes: InstallChange[] = [];
  for (const name of ctx.names) {
    if (name.includes('/')) {
      ctx.io.stderr(`Failed to get properties: Unit name ${name} is neither a valid invocation ID nor unit name.\n`);
      return 1;
    }
    const path = `${ctx.dir ?? CONFIG_DIR}/${name}`;
    const current = fs.lstat(path);
    if (current?.type === 'symlink' && fs.readlink(path) === '/dev/null') {
      fs.unlink(path);
      changes.push({ type: 'unlink', path });
    } else warnMissing(ctx, name);
  }
  for (const change of changes) ctx.io.stderr(formatInstallChange(change) + '\n');
  ctx.manager.daemonReload();
  return 0;
}

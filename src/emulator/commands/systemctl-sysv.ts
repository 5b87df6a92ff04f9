/**
 * systemctl's SysV compatibility (src/systemctl/systemctl-sysv-compat.c, enable_sysv_units() of systemd 252): for
 * `enable`, `disable` and `reenable` of a service that also has a script in /etc/init.d (openssh-server's ssh,
 * dbus's dbus on Debian 12), systemctl says so and runs /lib/systemd/systemd-sysv-install with the verb, before it
 * changes the unit's own links. The script's own work (update-rc.d's /etc/rc?.d links) is not modelled.
 */
import type { FileSystem } from '../kernel/kernel.ts';

/** Where systemctl looks for SysV scripts (SYSTEM_SYSVINIT_PATH). */
const SYSVINIT_PATH = '/etc/init.d';
/** Debian's ROOTLIBEXECDIR/systemd-sysv-install. */
const SYSV_INSTALL = '/lib/systemd/systemd-sysv-install';

/**
 * What systemctl does for `verb` of `names` (unit names with their suffix) before the unit files' links: the lines
 * it prints (on stderr; none with --quiet), and the names that have a script but no unit file, which it leaves to
 * the script alone. `native(name)` says whether a unit file of that name exists. Nothing for a user manager,
 * --runtime, or another verb.
 */
export function sysvInstall(fs: FileSystem, verb: string, names: readonly string[], native: (name: string) => boolean, options: { system: boolean; quiet: boolean }): { lines: string[]; redirected: string[] } {
  const lines: string[] = [];
  const redirected: string[] = [];
  if (!options.system || !['enable', 'disable', 'reenable'].includes(verb)) return { lines, redirected };
  for (const name of names) {
    if (!name.endsWith('.service') || name.startsWith('/')) continue;
    const script = name.slice(0, -'.service'.length);
    if (!fs.stat(`${SYSVINIT_PATH}/${script}`)) continue;
    const isNative = native(name);
    if (!isNative) redirected.push(name);
    if (options.quiet) continue;
    lines.push(isNative
      ? `Synchronizing state of ${name} with SysV service script with ${SYSV_INSTALL}.`
      : `${name} is not a native service, redirecting to systemd-sysv-install.`);
    lines.push(`Executing: ${SYSV_INSTALL} ${verb} ${script}`);
  }
  return { lines, redirected };
}

/**
 * Whether an editor path is a unit file or a drop-in (`*.d/*.conf`), checked with systemd-analyze verify; no
 * CodeMirror here. Other `.conf` files (cupsd.conf, a program's own settings) are not units.
 */
export function isUnitFile(path: string): boolean {
  return /\.(socket|service|path|target|timer|mount)$/.test(path) || /\.d\/[^/]+\.conf$/.test(path);
}

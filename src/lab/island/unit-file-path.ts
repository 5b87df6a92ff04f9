/** Whether an editor path is a unit file (or drop-in), checked with systemd-analyze verify; no CodeMirror here. */
export function isUnitFile(path: string): boolean {
  return /\.(socket|service|path|target|timer|mount|conf)$/.test(path);
}

/**
 * [Install] handling as systemctl does it offline (src/shared/install.c): enable/disable create and
 * remove symlinks under /etc/systemd/system, is-enabled reads them back.
 */
import type { FileSystem } from '../kernel/kernel.ts';
import { parseUnitName } from '../unit-file/unit-name.ts';
import type { UnitFile } from '../unit-file/unit-types.ts';

/** Where enable writes its links. */
export const CONFIG_DIR = '/etc/systemd/system';

/** Where `--runtime` writes them: gone at the next boot (the system manager's runtime configuration). */
export const RUNTIME_DIR = '/run/systemd/system';

/** One change made by enable/disable, printed as systemd prints it. */
export type InstallChange =
  | { type: 'symlink'; path: string; source: string }
  | { type: 'unlink'; path: string };

/** The line systemctl prints for a change (install_changes_dump(), systemd 252). */
export function formatInstallChange(change: InstallChange): string {
  if (change.type === 'symlink') return `Created symlink ${change.path} → ${change.source}.`;
  return `Removed "${change.path}".`;
}

/** True when [Install] has anything enable could act on. */
export function hasInstallRules(file: UnitFile): boolean {
  const i = file.install;
  return i.wantedBy.length + i.requiredBy.length + i.alias.length > 0;
}

function isMasked(fs: FileSystem, name: string, dir: string): boolean {
  const path = `${dir}/${name}`;
  try {
    return fs.lstat(path)?.type === 'symlink' && fs.readlink(path) === '/dev/null';
  } catch {
    return false;
  }
}

/** The file a unit file path finally names, its symlinks followed (relative targets against their directory). */
export function resolveUnitFileLinks(fs: FileSystem, path: string): string {
  let current = path;
  for (let hops = 0; hops < 32; hops++) {
    if (fs.lstat(current)?.type !== 'symlink') return current;
    let target: string;
    try {
      target = fs.readlink(current);
    } catch {
      return current;
    }
    current = target.startsWith('/') ? target : `${current.slice(0, current.lastIndexOf('/'))}/${target}`;
  }
  return current;
}

/**
 * The link `systemctl link` made for `file`: /etc/systemd/system/NAME pointing at a unit file of the same name
 * elsewhere (install.c's same_name_link, which makes the state "linked").
 */
function ownLink(fs: FileSystem, file: UnitFile, dir: string): string | undefined {
  const path = `${dir}/${file.name}`;
  if (fs.lstat(path)?.type !== 'symlink') return undefined;
  const target = resolveUnitFileLinks(fs, path);
  return target !== '/dev/null' && target !== path && target.slice(target.lastIndexOf('/') + 1) === file.name ? path : undefined;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The name enable links into .wants/.requires: a template's DefaultInstance= instance, else the unit's own name. */
function wantsLinkName(file: UnitFile): string {
  const parts = parseUnitName(file.name);
  if (parts?.template && file.install.defaultInstance) return `${parts.prefix}@${file.install.defaultInstance}.${parts.suffix}`;
  return file.name;
}

/**
 * Why enable cannot act on `file` (install.c's checks, in systemctl's words after "Failed to enable unit: "), or
 * undefined: a WantedBy=/RequiredBy= that is no valid unit name (a typo such as `multi-user.targe`), or a template
 * without DefaultInstance= wanted by a unit that is no template.
 */
export function installError(file: UnitFile): string | undefined {
  const parts = parseUnitName(file.name);
  for (const target of [...file.install.wantedBy, ...file.install.requiredBy]) {
    const targetParts = parseUnitName(target);
    if (!targetParts) return `"${target}" is not a valid unit name.`;
    if (parts?.template && !file.install.defaultInstance && !targetParts.template) return `Destination unit ${target} is a non-template unit.`;
  }
  return undefined;
}

/** Every link enable would create for `file` (without Also=), in the order systemd creates them. */
function plannedLinks(fs: FileSystem, file: UnitFile, dir: string): Array<{ path: string; source: string }> {
  // The links point at the unit file itself: a linked unit's file outside the search path, not its link.
  const source = file.fragmentPath ? resolveUnitFileLinks(fs, file.fragmentPath) : `${dir}/${file.name}`;
  const out: Array<{ path: string; source: string }> = [];
  const name = wantsLinkName(file);
  for (const alias of file.install.alias) out.push({ path: `${dir}/${alias}`, source });
  for (const target of file.install.wantedBy) out.push({ path: `${dir}/${target}.wants/${name}`, source });
  for (const target of file.install.requiredBy) out.push({ path: `${dir}/${target}.requires/${name}`, source });
  return out;
}

/** One symlink under /etc/systemd/system (an alias, or an entry of a .wants/.requires directory). */
interface InstallLink {
  path: string;
  target: string;
}

/** Every install symlink under /etc/systemd/system, indexed by the file name its target ends in. */
export type InstallLinks = Map<string, InstallLink[]>;

/** Scans /etc/systemd/system (or a user manager's `dir`) and its .wants/.requires directories once (one pass for all units). */
export function scanInstallLinks(fs: FileSystem, dir: string = CONFIG_DIR): InstallLinks {
  const links: InstallLinks = new Map();
  const add = (path: string): void => {
    let target: string;
    // lstat() first: most entries are unit files, and readlink() on them would throw (EINVAL) for each.
    if (fs.lstat(path)?.type !== 'symlink') return;
    try {
      target = fs.readlink(path);
    } catch {
      return; // not a symlink
    }
    const key = target.slice(target.lastIndexOf('/') + 1);
    const list = links.get(key) ?? [];
    list.push({ path, target });
    links.set(key, list);
  };
  let entries: string[] = [];
  try {
    entries = fs.readdir(dir);
  } catch {
    return links;
  }
  for (const entry of entries) {
    const path = `${dir}/${entry}`;
    if (entry.endsWith('.wants') || entry.endsWith('.requires')) {
      let inside: string[] = [];
      try {
        inside = fs.readdir(path);
      } catch {
        continue;
      }
      for (const name of inside) add(`${path}/${name}`);
    } else add(path);
  }
  return links;
}

/** Links under /etc/systemd/system (in .wants/.requires dirs or aliases) that point at `file`, planned ones first. */
function existingLinks(fs: FileSystem, file: UnitFile, links: InstallLinks, dir: string): string[] {
  const candidates = [...(links.get(file.name) ?? [])];
  const fragmentName = file.fragmentPath?.slice(file.fragmentPath.lastIndexOf('/') + 1);
  if (fragmentName && fragmentName !== file.name) candidates.push(...(links.get(fragmentName) ?? []));
  const found = candidates
    .filter((link) => link.path !== `${dir}/${file.name}`) // the unit's own (linked) file is no alias
    .filter((link) => link.target === file.fragmentPath || link.target.endsWith(`/${file.name}`))
    .map((link) => link.path);
  const planned = plannedLinks(fs, file, dir).map((link) => link.path).filter((path) => found.includes(path));
  const all = [...new Set([...planned, ...found])];
  // An instance owns only the links that carry its name; the template's file is every instance's.
  return file.instance !== undefined ? all.filter((path) => basename(path) === file.name) : all;
}

/** is-enabled's answer: enabled, disabled, static, masked, indirect, alias, linked, generated. */
export function unitFileState(fs: FileSystem, file: UnitFile, scanned?: InstallLinks, dir: string = CONFIG_DIR): string {
  const links = scanned ?? scanInstallLinks(fs, dir);
  if (file.loadState === 'masked' && file.fragmentPath?.startsWith(`${RUNTIME_DIR}/`)) return 'masked-runtime';
  if (file.loadState === 'masked' || isMasked(fs, file.name, dir)) return 'masked';
  if (!file.fragmentPath) return file.loadState === 'not-found' ? '' : 'static';
  if (file.fragmentPath.startsWith('/run/systemd/generator')) return 'generated';
  if (file.instance !== undefined && !file.fragmentPath.endsWith(file.name)) {
    if (existingLinks(fs, file, links, dir).length > 0) return 'enabled';
    return hasInstallRules(file) ? 'disabled' : 'static';
  }
  // A template: enabled through its DefaultInstance= link; links of other instances make it "indirect".
  if (parseUnitName(file.name)?.template) {
    const found = existingLinks(fs, file, links, dir);
    if (found.some((path) => basename(path) === wantsLinkName(file))) return 'enabled';
    if (found.length > 0) return 'indirect';
  }
  // unit_file_lookup_state(): a name whose file is a symlink to a unit file of another name is an alias.
  const resolved = resolveUnitFileLinks(fs, file.fragmentPath);
  if (resolved.slice(resolved.lastIndexOf('/') + 1) !== file.name) return 'alias';
  if (existingLinks(fs, file, links, dir).length > 0) return 'enabled';
  if (dir === CONFIG_DIR && existingLinks(fs, file, scanInstallLinks(fs, RUNTIME_DIR), RUNTIME_DIR).length > 0) return 'enabled-runtime';
  if (ownLink(fs, file, dir)) return 'linked';
  if (hasInstallRules(file)) return 'disabled';
  if (file.install.also.length > 0) return 'indirect';
  return 'static';
}

/** Creates the [Install] links of `files` (Also= already expanded by the caller). */
export function enableUnits(fs: FileSystem, files: UnitFile[], dir: string = CONFIG_DIR): InstallChange[] {
  const changes: InstallChange[] = [];
  for (const file of files) {
    for (const link of plannedLinks(fs, file, dir)) {
      const current = fs.lstat(link.path);
      if (current?.type === 'symlink' && fs.readlink(link.path) === link.source) continue;
      if (current) fs.unlink(link.path);
      const parent = link.path.slice(0, link.path.lastIndexOf('/'));
      if (!fs.stat(parent)) fs.mkdir(parent, { recursive: true, mode: 0o755 });
      fs.symlink(link.source, link.path);
      changes.push({ type: 'symlink', path: link.path, source: link.source });
    }
  }
  return changes;
}

/**
 * `systemctl link PATH`: /etc/systemd/system/NAME → PATH (unit_file_link()). The change, nothing when the link is
 * already there, or systemctl's error text.
 */
export function linkUnitFile(fs: FileSystem, path: string, dir: string = CONFIG_DIR): InstallChange[] | { error: string } {
  const st = fs.stat(path);
  if (!st || st.type !== 'file') return { error: `Failed to link unit: Unit file ${path} does not exist.` };
  const name = path.slice(path.lastIndexOf('/') + 1);
  const link = `${dir}/${name}`;
  const current = fs.lstat(link);
  if (current?.type === 'symlink' && resolveUnitFileLinks(fs, link) === path) return [];
  if (current) return { error: `Failed to link unit: File ${link} already exists.` };
  if (!fs.stat(dir)) fs.mkdir(dir, { recursive: true, mode: 0o755 });
  fs.symlink(path, link);
  return [{ type: 'symlink', path: link, source: path }];
}

/** Removes every link under /etc/systemd/system pointing at `files`, a linked unit's own link last. */
export function disableUnits(fs: FileSystem, files: UnitFile[], dir: string = CONFIG_DIR): InstallChange[] {
  const changes: InstallChange[] = [];
  for (const file of files) {
    const own = ownLink(fs, file, dir);
    for (const path of [...existingLinks(fs, file, scanInstallLinks(fs, dir), dir), ...(own ? [own] : [])]) {
      fs.unlink(path);
      changes.push({ type: 'unlink', path });
    }
  }
  return changes;
}

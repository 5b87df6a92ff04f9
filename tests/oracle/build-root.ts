/**
 * `npm run oracle:root`: the oracle's Debian 12 root file system (reference section 8), built with debootstrap from
 * Debian's packages into /var/tmp/socket-activation-oracle/bookworm-root, with the mirror of this machine's own apt
 * sources. An existing root is accepted when every package below is installed in it (dpkg-query on its database,
 * read-only); then a stamp file next to it records that. Otherwise the root is built into a temporary folder and
 * renamed into place at the end, so an interrupted build never leaves a half root behind. Prints the time it took.
 *
 *   --check         only say whether the root is complete (exit 0) or not (exit 1)
 *   --fresh DIR     build a fresh root into DIR (which must not exist) whatever the cached one holds; for timing
 *                   a build or checking the package list, the cached root stays as it is
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_ROOT, ORACLE_DIR } from './nspawn-machine.ts';

/** What scenarios need on the real machine (one debootstrap --include list). */
export const ROOT_PACKAGES = [
  'systemd', 'systemd-sysv', 'dbus', 'python3-systemd', 'openssh-server', 'iproute2', 'netcat-openbsd',
  'libsystemd-dev', 'gcc', 'libc6-dev', 'systemd-container', 'procps', 'nodejs', 'curl', 'golang-go', 'python3',
  'libpam-systemd',
];
/**
 * System groups that packages the lessons talk about would create, without installing those packages: docker.io's
 * postinst runs `addgroup --system docker`, and Debian's docker.socket says SocketGroup=docker. Added with groupadd
 * in the root (chroot) when missing, on a fresh root and on an accepted one.
 */
export const ROOT_GROUPS = ['docker'];
export const SUITE = 'bookworm';
export const STAMP = `${DEFAULT_ROOT}.stamp`;

/** The packages of ROOT_PACKAGES not installed in `root` (all of them when it has no dpkg database). */
export function missingPackages(root: string = DEFAULT_ROOT): string[] {
  const admindir = path.join(root, 'var/lib/dpkg');
  if (!fs.existsSync(path.join(admindir, 'status'))) return [...ROOT_PACKAGES];
  const result = spawnSync('dpkg-query', [`--admindir=${admindir}`, '-W', '-f=${Package} ${db:Status-Status}\\n', ...ROOT_PACKAGES], { encoding: 'utf8' });
  const installed = new Set(result.stdout.split('\n').filter((line) => line.endsWith(' installed')).map((line) => line.split(' ')[0]));
  return ROOT_PACKAGES.filter((name) => !installed.has(name));
}

/** The groups of ROOT_GROUPS that `root`'s /etc/group lacks. */
export function missingGroups(root: string = DEFAULT_ROOT): string[] {
  const groupFile = path.join(root, 'etc/group');
  const names = new Set(fs.existsSync(groupFile) ? fs.readFileSync(groupFile, 'utf8').split('\n').map((line) => line.split(':')[0]) : []);
  return ROOT_GROUPS.filter((name) => !names.has(name));
}

/** Adds the missing ROOT_GROUPS to `root` (groupadd --system in a chroot, as the packages' postinst would). */
export function addMissingGroups(root: string, log: (line: string) => void): void {
  for (const name of missingGroups(root)) {
    execFileSync('chroot', [root, 'groupadd', '--system', name], { stdio: ['ignore', 'inherit', 'inherit'] });
    log(`oracle root: added the system group ${name} to ${root}`);
  }
}

/** The Debian mirror of this machine's apt sources (deb822 `URIs:` or a sources.list `deb` line). */
export function debianMirror(): string {
  const deb822 = '/etc/apt/sources.list.d/debian.sources';
  if (fs.existsSync(deb822)) {
    for (const block of fs.readFileSync(deb822, 'utf8').split(/\n\s*\n/)) {
      const uri = /^URIs:\s*(\S+)/m.exec(block)?.[1];
      const suites = /^Suites:\s*(.+)$/m.exec(block)?.[1] ?? '';
      if (uri && suites.split(/\s+/).includes(SUITE)) return uri;
    }
  }
  const list = '/etc/apt/sources.list';
  if (fs.existsSync(list)) {
    const match = new RegExp(`^deb\\s+(?:\\[[^\\]]*\\]\\s+)?(\\S+)\\s+${SUITE}\\s`, 'm').exec(fs.readFileSync(list, 'utf8'));
    if (match) return match[1];
  }
  return 'http://deb.debian.org/debian';
}

/** Builds the root when it is missing or incomplete; returns what it did and the seconds it took. */
export function ensureRoot(log: (line: string) => void): { built: boolean; seconds: number } {
  const started = Date.now();
  const missing = missingPackages();
  if (missing.length === 0) {
    addMissingGroups(DEFAULT_ROOT, log);
    if (!fs.existsSync(STAMP)) fs.writeFileSync(STAMP, `${SUITE} ${ROOT_PACKAGES.join(',')}\nchecked ${new Date().toISOString()}\n`);
    log(`oracle root: ${DEFAULT_ROOT} has every package (${ROOT_PACKAGES.length}); nothing to build`);
    return { built: false, seconds: (Date.now() - started) / 1000 };
  }
  if (spawnSync('debootstrap', ['--version']).error) throw new Error('debootstrap is not installed: apt-get install debootstrap systemd-container');
  const mirror = debianMirror();
  const temp = fs.mkdtempSync(path.join(ORACLE_DIR, 'build-'));
  log(`oracle root: ${fs.existsSync(DEFAULT_ROOT) ? `missing packages ${missing.join(' ')}` : 'no root yet'}; debootstrap ${SUITE} from ${mirror} into ${temp}`);
  try {
    execFileSync('debootstrap', ['--variant=minbase', `--include=${ROOT_PACKAGES.join(',')}`, SUITE, temp, mirror], { stdio: ['ignore', 'inherit', 'inherit'] });
    const left = missingPackages(temp);
    if (left.length > 0) throw new Error(`debootstrap finished, but ${left.join(' ')} are not installed in ${temp}`);
    addMissingGroups(temp, log);
    const old = `${DEFAULT_ROOT}.old-${process.pid}`;
    if (fs.existsSync(DEFAULT_ROOT)) fs.renameSync(DEFAULT_ROOT, old);
    fs.renameSync(temp, DEFAULT_ROOT);
    fs.rmSync(old, { recursive: true, force: true });
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  fs.writeFileSync(STAMP, `${SUITE} ${ROOT_PACKAGES.join(',')}\nbuilt ${new Date().toISOString()} from ${mirror}\n`);
  const seconds = (Date.now() - started) / 1000;
  log(`oracle root: built in ${seconds.toFixed(0)} s`);
  return { built: true, seconds };
}

if (import.meta.filename === process.argv[1]) {
  fs.mkdirSync(ORACLE_DIR, { recursive: true });
  if (process.argv.includes('--check')) {
    const missing = [...missingPackages(), ...missingGroups().map((name) => `group ${name}`)];
    process.stdout.write(missing.length === 0 ? `${DEFAULT_ROOT} is complete\n` : `${DEFAULT_ROOT} lacks: ${missing.join(' ')}\n`);
    process.exit(missing.length === 0 ? 0 : 1);
  }
  const fresh = process.argv.indexOf('--fresh');
  if (fresh >= 0) {
    const dir = process.argv[fresh + 1];
    if (!dir || fs.existsSync(dir)) {
      process.stderr.write('usage: build-root.ts --fresh DIR (DIR must not exist)\n');
      process.exit(2);
    }
    const started = Date.now();
    execFileSync('debootstrap', ['--variant=minbase', `--include=${ROOT_PACKAGES.join(',')}`, SUITE, dir, debianMirror()], { stdio: ['ignore', 'ignore', 'inherit'] });
    const left = missingPackages(dir);
    process.stdout.write(`fresh root in ${dir}: ${((Date.now() - started) / 1000).toFixed(0)} s${left.length ? `, missing ${left.join(' ')}` : ', every package installed'}\n`);
    process.exit(left.length ? 1 : 0);
  }
  try {
    ensureRoot((line) => process.stdout.write(line + '\n'));
  } catch (error) {
    process.stderr.write(`oracle root: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

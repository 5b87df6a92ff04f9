/**
 * The lab machine's /usr/bin/node on the Node kernel, in the comparison: Debian 12's own Node.js 18 (nodejs
 * 18.20.4+dfsg), taken from the oracle's root (build-root.ts installs nodejs there), as on the real machine. Any
 * other Node prints other line numbers in a crash's stack trace (`node:net:1811:16` is Debian's build of 18.20.4;
 * upstream's 18.20.4 says `node:net:1817:16`) and another version line.
 *
 * Debian's build needs two things from its root besides libnode.so.108 (program-node.ts offers that one):
 * the JavaScript of five builtins it loads from fixed paths under /usr/share/nodejs (cjs-module-lexer, undici,
 * acorn, acorn-walk). The host has no /usr/share/nodejs, so the worker that runs the Node kernel, already in a
 * network namespace of its own, also gets a mount namespace of its own (private: nothing reaches the host) where
 * /usr/share is a read-only overlay of the host's /usr/share and one entry more, `nodejs`, a link into the root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeAt, type ProgramNode } from '../../src/emulator/kernel/node/program-node.ts';
import { DEFAULT_ROOT, ORACLE_DIR } from './nspawn-machine.ts';

const NODE = path.join(DEFAULT_ROOT, 'usr/bin/node');
const BUILTINS = path.join(DEFAULT_ROOT, 'usr/share/nodejs');
/** A folder whose only entry is `nodejs` → the root's /usr/share/nodejs: the overlay's upper layer. */
const SHARE_LAYER = path.join(ORACLE_DIR, 'node-share');

/** Why Debian's Node.js cannot be the machine's node here, or undefined when it can. */
export function debianNodeUnavailable(): string | undefined {
  if (!fs.existsSync(NODE)) return `the oracle's root has no ${NODE} (build it: npm run oracle:root)`;
  if (!fs.existsSync(path.join(BUILTINS, 'cjs-module-lexer/lexer.js'))) return `the oracle's root has no ${BUILTINS} (build it again: npm run oracle:root)`;
  return undefined;
}

/**
 * The shell command that, in a fresh mount namespace (`unshare --mount --propagation private`), makes the root's
 * /usr/share/nodejs visible at /usr/share/nodejs; empty when the host has one of its own.
 */
export function debianNodeMounts(): string {
  if (fs.existsSync('/usr/share/nodejs')) return '';
  fs.mkdirSync(SHARE_LAYER, { recursive: true });
  const link = path.join(SHARE_LAYER, 'nodejs');
  let target: string | undefined;
  try {
    target = fs.readlinkSync(link);
  } catch {
    // not made yet
  }
  if (target !== BUILTINS) {
    fs.rmSync(link, { force: true });
    fs.symlinkSync(BUILTINS, link);
  }
  return `mount -t overlay overlay -o lowerdir=${SHARE_LAYER}:/usr/share /usr/share`;
}

let found: ProgramNode | string | undefined;

/** Debian's Node.js, ready to run in this process's namespaces, or why it cannot (the text says how to fix it). */
export function debianNode(): ProgramNode | string {
  if (found === undefined) {
    const why = debianNodeUnavailable();
    try {
      found = why ?? nodeAt(NODE, path.join(ORACLE_DIR, 'node-libraries'));
    } catch (error) {
      found = `Debian's Node.js cannot run here: ${(error as Error).message}`;
    }
  }
  return found;
}

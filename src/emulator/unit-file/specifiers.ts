/** Specifier expansion (%n %N %p %i %I %P %t %%…) as systemd's unit_full_printf() does it (src/core/unit-printf.c). */
import { parseUnitName, unescapeUnitName, unescapeUnitPath } from './unit-name.ts';

/** What the specifiers are expanded from. */
export interface SpecifierContext {
  /** The unit's full name (for instances: `foo@bar.service`). */
  name: string;
  /** Host name for %H / %l. */
  hostname?: string;
  /** For a user manager's units: the user, whose runtime, config and home directories the specifiers name. */
  user?: SpecifierUser;
}

/** The user of a user manager (systemd --user), as %u %U %g %G %h %t %E %S %C %L expand for it. */
export interface SpecifierUser {
  name: string;
  uid: number;
  group: string;
  gid: number;
  home: string;
}

/** Letters systemd treats as specifiers: an unknown one of these is an error ("Invalid slot"). */
const POSSIBLE_SPECIFIERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Thrown when text has an unknown specifier; `message` is the errno text systemd prints. */
export class SpecifierError extends Error {
  constructor() {
    super('Invalid slot');
    this.name = 'SpecifierError';
  }
}

/** The value of each specifier this emulator knows, for one unit. */
function specifierTable(ctx: SpecifierContext): Record<string, string> {
  const parts = parseUnitName(ctx.name);
  const dot = ctx.name.lastIndexOf('.');
  const prefix = parts?.prefix ?? ctx.name.slice(0, dot);
  const instance = parts?.instance ?? '';
  const host = ctx.hostname ?? 'localhost';
  return {
    n: ctx.name,
    N: ctx.name.slice(0, dot),
    p: prefix,
    P: unescapeUnitName(prefix),
    i: instance,
    I: unescapeUnitName(instance),
    j: prefix.includes('-') ? prefix.slice(prefix.lastIndexOf('-') + 1) : prefix,
    J: unescapeUnitName(prefix.includes('-') ? prefix.slice(prefix.lastIndexOf('-') + 1) : prefix),
    f: instance ? unescapeUnitPath(instance) : unescapeUnitPath(prefix),
    t: '/run', S: '/var/lib', C: '/var/cache', L: '/var/log', E: '/etc', T: '/tmp', V: '/var/tmp',
    d: '', // $CREDENTIALS_DIRECTORY is only known when the service runs
    h: '/root', s: '/bin/sh', u: 'root', U: '0', g: 'root', G: '0',
    ...(ctx.user ? userSpecifiers(ctx.user) : {}),
    H: host, l: host.split('.')[0], q: host.split('.')[0],
    m: '00000000000000000000000000000001', b: '00000000000000000000000000000002', o: 'debian',
    w: '12', W: '', B: '', A: '', M: '', a: 'x86-64', v: '6.1.0', y: '', Y: '',
  };
}

/** A user manager's values: XDG directories under the home and /run/user/UID (systemd.unit(5), "Specifiers"). */
function userSpecifiers(user: SpecifierUser): Record<string, string> {
  return {
    t: `/run/user/${user.uid}`, E: `${user.home}/.config`, S: `${user.home}/.local/state`, C: `${user.home}/.cache`,
    L: `${user.home}/.local/state/log`, h: user.home, u: user.name, U: String(user.uid), g: user.group, G: String(user.gid),
  };
}

/** Expands every specifier in `text`; throws SpecifierError for an unknown one (`%x`). */
export function expandSpecifiers(text: string, ctx: SpecifierContext): string {
  if (!text.includes('%')) return text;
  const table = specifierTable(ctx);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) break; // a trailing lone '%' is dropped, as specifier_printf() does
    i++;
    if (next === '%') out += '%';
    else if (next in table) out += table[next];
    else if (POSSIBLE_SPECIFIERS.includes(next)) throw new SpecifierError();
    else out += '%' + next;
  }
  return out;
}

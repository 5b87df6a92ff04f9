/** systemctl's command-line options (the subset the labs use), parsed as getopt does. */

/** Parsed options and positional arguments. */
export interface SystemctlArgs {
  verb?: string;
  args: string[];
  all: boolean;
  now: boolean;
  quiet: boolean;
  value: boolean;
  legend: boolean;
  types: string[];
  states: string[];
  properties: string[];
  lines: number;
  /** --plain (list-dependencies: no tree). */
  plain: boolean;
  /** --reverse, --before, --after: which dependencies list-dependencies shows. */
  dependency: 'forward' | 'reverse' | 'before' | 'after';
  /** -s/--signal of `systemctl kill` (default SIGTERM). */
  signal?: string;
  /** list-sockets --show-types: a TYPE column. */
  showTypes?: boolean;
  /** --runtime: enable/disable/mask/unmask under /run/systemd/system (gone at the next boot). */
  runtime?: boolean;
  /** --version: the banner, nothing else. */
  version?: boolean;
}

const LONG_FLAGS: Record<string, (a: SystemctlArgs) => void> = {
  '--all': (a) => { a.all = true; },
  '--now': (a) => { a.now = true; },
  '--quiet': (a) => { a.quiet = true; },
  '--value': (a) => { a.value = true; },
  '--no-legend': (a) => { a.legend = false; },
  '--show-types': (a) => { a.showTypes = true; },
  '--runtime': (a) => { a.runtime = true; },
  '--version': (a) => { a.version = true; },
  '--no-pager': () => {},
  '--full': () => {},
  '--no-ask-password': () => {},
  '--no-block': () => {},
  '--system': () => {},
  '--no-reload': () => {},
  '--plain': (a) => { a.plain = true; },
  '--reverse': (a) => { a.dependency = 'reverse'; },
  '--before': (a) => { a.dependency = 'before'; },
  '--after': (a) => { a.dependency = 'after'; },
  // systemctl.c: --failed is --state=failed.
  '--failed': (a) => { a.states.push('failed'); },
};

const SHORT_FLAGS: Record<string, (a: SystemctlArgs) => void> = {
  a: (a) => { a.all = true; },
  q: (a) => { a.quiet = true; },
  l: () => {},
};

/** unit_type_to_string() and unit_load_state_to_string() names, which -t/--type= takes. */
const UNIT_TYPES = ['service', 'mount', 'swap', 'socket', 'target', 'device', 'automount', 'timer', 'path', 'slice', 'scope'];
const LOAD_STATES = ['stub', 'loaded', 'not-found', 'bad-setting', 'error', 'merged', 'masked'];

/** Parses argv (without the program name); returns an error line for unknown options. */
export function parseSystemctlArgs(argv: string[]): SystemctlArgs | { error: string } {
  const a: SystemctlArgs = { args: [], all: false, now: false, quiet: false, value: false, legend: true, types: [], states: [], properties: [], lines: 10, plain: false, dependency: 'forward' };
  const positional: string[] = [];
  const withValue = (name: string, value: string): string | undefined => {
    const list = value.split(',').filter((v) => v !== '');
    if (name === 'type') {
      // systemctl.c: each -t value is a unit type, or else a load state (kept with --state=), or an error.
      for (const v of list) {
        if (UNIT_TYPES.includes(v)) a.types.push(v);
        else if (LOAD_STATES.includes(v)) a.states.push(v);
        else return `Unknown unit type or load state '${v}'.\nUse -t help to see a list of allowed values.`;
      }
    }
    else if (name === 'state') a.states.push(...list);
    else if (name === 'property') a.properties.push(...list);
    else if (name === 'signal') a.signal = value;
    else if (name === 'lines') {
      if (!/^\d+$/.test(value)) return `Failed to parse lines '${value}'`;
      a.lines = Number(value);
    }
    return undefined;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      if (['type', 'state', 'property', 'lines', 'signal'].includes(name)) {
        let value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined) return { error: `systemctl: option '--${name}' requires an argument` };
        const error = withValue(name, value);
        if (error) return { error };
        continue;
      }
      const flag = LONG_FLAGS[arg];
      if (!flag) return { error: `systemctl: unrecognized option '${arg}'` };
      flag(a);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j];
        const valued: Record<string, string> = { t: 'type', p: 'property', P: 'property', n: 'lines', s: 'signal' };
        // -P NAME is --value --property=NAME.
        if (c === 'P') a.value = true;
        if (valued[c]) {
          const value = j + 1 < arg.length ? arg.slice(j + 1) : argv[++i];
          if (value === undefined) return { error: `systemctl: option requires an argument -- '${c}'` };
          const error = withValue(valued[c], value);
          if (error) return { error };
          break;
        }
        const flag = SHORT_FLAGS[c];
        if (!flag) return { error: `systemctl: invalid option -- '${c}'` };
        flag(a);
      }
      continue;
    }
    positional.push(arg);
  }
  a.verb = positional[0];
  a.args = positional.slice(1);
  return a;
}

/** Adds `.service` to a name without a unit suffix, as systemctl's unit_name_mangle() does. */
export function mangleUnitName(name: string, suffix = '.service'): string {
  if (/\.(service|socket|target|path|timer|mount|automount|swap|slice|scope|device)$/.test(name)) return name;
  return name + suffix;
}

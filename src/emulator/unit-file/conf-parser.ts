/**
 * systemd's configuration file syntax (src/shared/conf-parser.c): comments, continuation lines, sections,
 * `Key=Value` assignments, and the parse-level messages with the line numbers systemd reports
 * (for a continued assignment: the line where it ENDS, as the real systemd-analyze shows).
 */

/** One event of a parsed file, in file order. */
export type ConfEvent =
  | { kind: 'section'; name: string; line: number }
  | { kind: 'assignment'; section: string; key: string; value: string; line: number }
  | { kind: 'message'; message: string; line: number; fatal: boolean };

const COMMENTS = '#;';
const WHITESPACE = ' \t\n\r';

/** strstrip(): removes systemd's WHITESPACE at both ends. */
export function strip(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && WHITESPACE.includes(text[a])) a++;
  while (b > a && WHITESPACE.includes(text[b - 1])) b--;
  return text.slice(a, b);
}

/**
 * Splits text into lines as read_line() does (src/basic/fileio.c): `\n`, `\r` and `\0` each end a line, and so
 * does any run of them that repeats no kind and has no character after a `\0` (`\r\n`, `\n\r`, `\r\n\0`…).
 */
export function splitLines(text: string): string[] {
  const kind = (c: string): number => (c === '\n' ? 1 : c === '\r' ? 2 : c === '\0' ? 4 : 0);
  const lines: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    if (kind(text[i]) === 0) {
      i++;
      continue;
    }
    lines.push(text.slice(start, i));
    for (let seen = 0; i < text.length; i++) {
      const k = kind(text[i]);
      if (k === 0 || (seen & k) !== 0 || (seen & 4) !== 0) break;
      seen |= k;
    }
    start = i;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** Joins continuation lines; yields [logical line, line number systemd reports]. */
export function* logicalLines(text: string): Generator<[string, number]> {
  const lines = splitLines(text);
  let continuation: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    const first = l.replace(/^[ \t\n\r]+/, '');
    if (first !== '' && COMMENTS.includes(first[0])) continue;
    if (i === 0 && l.startsWith('\uFEFF')) l = l.slice(1);
    const p = continuation !== undefined ? continuation + l : l;
    // An odd number of trailing backslashes means the last one escapes the newline.
    let escaped = false;
    for (const c of p) escaped = escaped ? false : c === '\\';
    if (escaped) {
      continuation = p.slice(0, -1) + ' ';
      continue;
    }
    continuation = undefined;
    yield [p, i + 1];
  }
  // A file ending inside a continuation: systemd parses what it has at EOF as one line past the last.
  if (continuation !== undefined) yield [continuation, lines.length + 1];
}

/** Parses unit-file text into sections, assignments and systemd's syntax messages. */
export function parseConfText(text: string, validSections: readonly string[]): ConfEvent[] {
  const events: ConfEvent[] = [];
  let section: string | undefined;
  let sectionIgnored = false;
  for (const [raw, line] of logicalLines(text)) {
    const l = strip(raw);
    if (l === '') continue;
    if (l[0] === '[') {
      if (l[l.length - 1] !== ']') {
        events.push({ kind: 'message', message: `Invalid section header '${l}'`, line, fatal: true });
        return events;
      }
      const name = l.slice(1, -1);
      if (/[\x00-\x1f\x7f"'\\]/.test(name)) {
        events.push({ kind: 'message', message: `Bad characters in section header '${l}'`, line, fatal: true });
        return events;
      }
      if (!validSections.includes(name)) {
        if (!name.startsWith('X-')) events.push({ kind: 'message', message: `Unknown section '${name}'. Ignoring.`, line, fatal: false });
        section = undefined;
        sectionIgnored = true;
      } else {
        section = name;
        sectionIgnored = false;
        events.push({ kind: 'section', name, line });
      }
      continue;
    }
    if (section === undefined) {
      if (!sectionIgnored) events.push({ kind: 'message', message: 'Assignment outside of section. Ignoring.', line, fatal: false });
      continue;
    }
    const eq = l.indexOf('=');
    if (eq < 0) {
      events.push({ kind: 'message', message: "Missing '=', ignoring line.", line, fatal: false });
      continue;
    }
    if (eq === 0) {
      events.push({ kind: 'message', message: "Missing key name before '=', ignoring line.", line, fatal: false });
      continue;
    }
    events.push({ kind: 'assignment', section, key: strip(l.slice(0, eq)), value: strip(l.slice(eq + 1)), line });
  }
  return events;
}

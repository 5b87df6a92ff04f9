/**
 * Word splitting as systemd's extract_first_word() (src/basic/extract-word.c) does it,
 * for the flag combinations unit files use.
 */

/** Flags of extract_first_word() that the unit-file parsers use. */
export interface ExtractFlags {
  /** EXTRACT_UNQUOTE: '…' and "…" group words and are removed. */
  unquote?: boolean;
  /** EXTRACT_CUNESCAPE: C escapes (\n, \x41, \s…) are decoded. */
  cunescape?: boolean;
  /** EXTRACT_RETAIN_ESCAPE: backslashes are kept as they are. */
  retainEscape?: boolean;
  /** EXTRACT_UNESCAPE_RELAX: a bad escape is kept verbatim instead of failing. */
  relaxEscape?: boolean;
}

/** What extract_first_word() returns: a word and the rest, `null` at the end, or an errno name. */
export type ExtractResult = { word: string; rest: string } | null | { error: 'EINVAL' };

const WHITESPACE = ' \t\n\r';

/** Decodes one C escape after a backslash; returns [text, consumed] or undefined when invalid. */
export function cunescapeOne(p: string): [string, number] | undefined {
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'", s: ' ' };
  const c = p[0];
  if (c === undefined) return undefined;
  if (c in simple) return [simple[c], 1];
  const hexRun = (n: number): number | undefined => {
    const digits = p.slice(1, 1 + n);
    return digits.length === n && /^[0-9a-fA-F]+$/.test(digits) ? parseInt(digits, 16) : undefined;
  };
  if (c === 'x') {
    const v = hexRun(2);
    return v === undefined || v === 0 ? undefined : [String.fromCharCode(v), 3];
  }
  if (c === 'u' || c === 'U') {
    const n = c === 'u' ? 4 : 8;
    const v = hexRun(n);
    if (v === undefined || v === 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
    return [String.fromCodePoint(v), n + 1];
  }
  if (c >= '0' && c <= '7') {
    const digits = p.slice(0, 3);
    if (!/^[0-3][0-7][0-7]$/.test(digits)) return undefined;
    const v = parseInt(digits, 8);
    return v === 0 ? undefined : [String.fromCharCode(v), 3];
  }
  return undefined;
}

/** Splits the first word off `input`, as extract_first_word(&p, &word, NULL, flags). */
export function extractFirstWord(input: string, flags: ExtractFlags = {}, separators = WHITESPACE): ExtractResult {
  let i = 0;
  while (i < input.length && separators.includes(input[i])) i++;
  if (i >= input.length) return null;
  let word = '';
  let quote = '';
  for (;;) {
    const c = input[i];
    if (c === undefined) {
      if (quote) return { error: 'EINVAL' };
      return { word, rest: '' };
    }
    if (c === '\\' && !flags.retainEscape) {
      const next = input[i + 1];
      if (next === undefined) {
        if (flags.relaxEscape && !quote) return { word: word + '\\', rest: '' };
        return { error: 'EINVAL' };
      }
      if (flags.cunescape) {
        const decoded = cunescapeOne(input.slice(i + 1));
        if (decoded) {
          word += decoded[0];
          i += 1 + decoded[1];
        } else if (flags.relaxEscape) {
          word += '\\' + next;
          i += 2;
        } else return { error: 'EINVAL' };
      } else {
        word += next;
        i += 2;
      }
      continue;
    }
    if (quote) {
      if (c === quote) quote = '';
      else word += c;
      i++;
      continue;
    }
    if ((c === "'" || c === '"') && flags.unquote) {
      quote = c;
      i++;
      continue;
    }
    if (separators.includes(c)) {
      while (i < input.length && separators.includes(input[i])) i++;
      return { word, rest: input.slice(i) };
    }
    word += c;
    i++;
  }
}

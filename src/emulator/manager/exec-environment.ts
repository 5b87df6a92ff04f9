/**
 * Variable expansion in Exec*= command lines, as PID 1 does it just before exec
 * (src/basic/env-util.c replace_env_argv() and replace_env_n() with no flags):
 * - a word that is exactly `$NAME` is replaced by NAME's value split on whitespace, quotes removed
 *   (several arguments, or none when NAME is empty or unset); the whole rest of the word is the name;
 * - `${NAME}` anywhere in a word is replaced by the value as it is (unset: nothing);
 * - `$$` is a literal `$`; `$NAME` inside a longer word, `${NAME:-x}` and an unclosed `${` stay as written.
 */

/** Expands `${NAME}` and `$$` inside one word (replace_env()). */
export function replaceEnv(word: string, env: Record<string, string>): string {
  let out = '';
  let i = 0;
  while (i < word.length) {
    const c = word[i];
    if (c !== '$' || i + 1 >= word.length) {
      out += c;
      i++;
      continue;
    }
    const next = word[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const close = word.indexOf('}', i + 2);
      const colon = word.indexOf(':', i + 2);
      if (close < 0 || (colon >= 0 && colon < close)) {
        // Unsupported (${A:-b}) or unterminated: kept literally up to where the scan resumes.
        const end = close < 0 ? word.length : close + 1;
        out += word.slice(i, end);
        i = end;
      } else {
        out += lookup(env, word.slice(i + 2, close)) ?? '';
        i = close + 1;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Expands a command line's arguments (replace_env_argv()). */
export function replaceEnvArgv(argv: readonly string[], env: Record<string, string>): string[] {
  const out: string[] = [];
  for (const word of argv) {
    if (word.startsWith('$') && word[1] !== '{' && word[1] !== '$') {
      const value = lookup(env, word.slice(1));
      if (value !== undefined) out.push(...splitWords(value));
      continue;
    }
    out.push(replaceEnv(word, env));
  }
  return out;
}

function lookup(env: Record<string, string>, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
}

/**
 * Splits a value into words on whitespace with quotes removed and backslash escaping the next
 * character (strv_split_full() with EXTRACT_UNQUOTE|EXTRACT_RELAX: an unclosed quote ends the word).
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (' \t\n\r'.includes(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

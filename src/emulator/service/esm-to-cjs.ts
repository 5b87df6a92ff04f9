/**
 * Turns the static `import`/`export` syntax of an ES module into CommonJS so a lab program written either
 * way runs in the sandbox's function wrapper. This is a line-level rewrite, not a parser: it handles the
 * forms lab programs use (`import net from 'node:net'`, `import * as x`, `import { a, b as c }`,
 * `import x, { a }`, bare `import 'm'`, `export` in front of declarations, `export default`,
 * `import.meta`). Line numbers are preserved so stack traces point at the right line.
 */

const IMPORT = /^([ \t]*)import\s+([\s\S]*?)\s+from\s+(['"])([^'"]+)\3\s*;?/gm;
const BARE_IMPORT = /^([ \t]*)import\s+(['"])([^'"]+)\2\s*;?/gm;

/** Whether the source uses ES module syntax (static import/export at the start of a line). */
export function looksLikeEsm(source: string): boolean {
  return /^[ \t]*(import\s+[\w*{'"]|export\s+(default|const|let|var|function|async|class|\{))/m.test(source);
}

/** `{ a, b as c }` → `{ a, b: c }`. */
function namedBindings(text: string): string {
  return text.replace(/\b([\w$]+)\s+as\s+([\w$]+)/g, '$1: $2');
}

/** Rewrites import/export statements to require()/module.exports, keeping the line count. */
export function esmToCjs(source: string): string {
  let out = source.replace(IMPORT, (whole, indent: string, clause: string, _q: string, spec: string) => {
    const pad = '\n'.repeat((whole.match(/\n/g) ?? []).length);
    const req = `require(${JSON.stringify(spec)})`;
    const c = clause.trim();
    let code: string;
    const ns = /^\*\s+as\s+([\w$]+)$/.exec(c);
    const def = /^([\w$]+)$/.exec(c);
    const defAndNamed = /^([\w$]+)\s*,\s*(\{[\s\S]*\})$/.exec(c);
    const defAndNs = /^([\w$]+)\s*,\s*\*\s+as\s+([\w$]+)$/.exec(c);
    if (ns) code = `const ${ns[1]} = ${req};`;
    else if (def) code = `const ${def[1]} = __importDefault(${req});`;
    else if (defAndNamed) code = `const ${defAndNamed[1]} = __importDefault(${req}), ${namedBindings(defAndNamed[2]).replace(/\s*\n\s*/g, ' ')} = ${req};`;
    else if (defAndNs) code = `const ${defAndNs[1]} = __importDefault(${req}), ${defAndNs[2]} = ${req};`;
    else if (c.startsWith('{')) code = `const ${namedBindings(c).replace(/\s*\n\s*/g, ' ')} = ${req};`;
    else return whole;
    return indent + code + pad;
  });
  out = out.replace(BARE_IMPORT, (_w, indent: string, _q: string, spec: string) => `${indent}require(${JSON.stringify(spec)});`);
  out = out.replace(/^([ \t]*)export\s+default\s+/gm, '$1module.exports.default = ');
  out = out.replace(/^([ \t]*)export\s+(?=(const|let|var|function|async|class)\b)/gm, '$1');
  out = out.replace(/^([ \t]*)export\s*\{[^}]*\}\s*;?/gm, '$1');
  out = out.replace(/\bimport\.meta\b/g, '__importMeta');
  return out;
}

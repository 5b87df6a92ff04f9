/**
 * Lint for the lab's JavaScript programs in the editor: the first syntax error the JavaScript
 * parser the editor already has (@lezer/javascript, through lang-javascript) finds, in Node's
 * words where they can be matched ("Unexpected token ';'", "Unexpected end of input"). Goes with the
 * JavaScript language: editor-panel.ts adds it where it adds javascript().
 */
import { ensureSyntaxTree } from '@codemirror/language';
import { linter, type Diagnostic } from '@codemirror/lint';
import type { EditorState } from '@codemirror/state';

/** How long the linter may parse a large file, in ms. */
const PARSE_BUDGET_MS = 200;

/** The first syntax error in `state`'s JavaScript, as a diagnostic; none when it parses. */
export function javascriptSyntaxDiagnostics(state: EditorState): Diagnostic[] {
  const tree = ensureSyntaxTree(state, state.doc.length, PARSE_BUDGET_MS);
  if (!tree) return [];
  let found: Diagnostic | undefined;
  tree.iterate({
    enter(node) {
      if (found) return false;
      if (!node.type.isError) return undefined;
      const at = node.from;
      const rest = state.doc.sliceString(at, Math.min(at + 40, state.doc.length));
      const token = /^\s*([\w$]+|"[^"\n]*"?|'[^'\n]*'?|\S)/.exec(rest)?.[1];
      const line = state.doc.lineAt(at);
      found = {
        from: at,
        to: token ? Math.min(at + rest.indexOf(token) + token.length, line.to) : at,
        severity: 'error',
        source: 'JavaScript',
        message: token
          ? `SyntaxError: Unexpected ${/^\d/.test(token) ? 'number' : /^["']/.test(token) ? 'string' : `token '${token}'`} (line ${line.number}): node will not start this program.`
          : `SyntaxError: Unexpected end of input (line ${line.number}): a bracket or quote is not closed.`,
      };
      return false;
    },
  });
  return found ? [found] : [];
}

/** The CodeMirror linter extension for JavaScript files. */
export const javascriptLint = linter((view) => javascriptSyntaxDiagnostics(view.state), { delay: 500 });

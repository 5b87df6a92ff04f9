/**
 * A small CodeMirror StreamLanguage for systemd unit files: [Section] headers, comments (# and ;),
 * Key= names, and values (booleans and numbers marked), with `\` continuation lines.
 */
import { StreamLanguage, type StreamParser } from '@codemirror/language';

interface UnitState {
  /** Inside a value (after `=`, or a continued line). */
  inValue: boolean;
  /** The previous line ended with `\`. */
  continued: boolean;
}

const BOOLEAN = /^(?:yes|no|true|false|on|off)\b/i;

const parser: StreamParser<UnitState> = {
  name: 'systemd',
  startState: () => ({ inValue: false, continued: false }),
  token(stream, state) {
    if (stream.sol()) {
      state.inValue = state.continued;
      state.continued = false;
      stream.eatSpace();
      if (!state.inValue) {
        if (stream.match(/^[#;].*/)) return 'comment';
        if (stream.match(/^\[[^\]]*\]?/)) return 'heading';
        if (stream.match(/^[^=\s]+(?=\s*=)/)) return 'propertyName';
      }
    }
    if (stream.eatSpace()) return null;
    if (!state.inValue && stream.eat('=')) {
      state.inValue = true;
      return 'operator';
    }
    if (state.inValue) {
      if (stream.match(/^\\$/)) {
        state.continued = true;
        return 'escape';
      }
      if (stream.match(/^%[a-zA-Z%]/)) return 'special';
      if (stream.match(BOOLEAN)) return 'bool';
      if (stream.match(/^\d+(?:\.\d+)?(?:ms|s|min|h|d)?\b/)) return 'number';
      stream.match(/^[^\s\\%]+/) || stream.next();
      return 'string';
    }
    stream.skipToEnd();
    return 'invalid';
  },
  languageData: { commentTokens: { line: '#' } },
};

/** The systemd unit-file language for CodeMirror. */
export const systemdUnitLanguage = StreamLanguage.define(parser);

export { isUnitFile } from './unit-file-path.ts';

/** Typing help for program files (shell, JavaScript, Python, C, Go), basicSetup's: brackets and quotes closed as typed. */
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { Prec, type Extension } from '@codemirror/state';
import { keymap } from '@codemirror/view';

/** closeBrackets with its Backspace, ahead of the default keymap as in basicSetup. */
export const programEditing: Extension = [closeBrackets(), Prec.high(keymap.of(closeBracketsKeymap))];

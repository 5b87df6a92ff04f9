/**
 * The inline script that sets the theme before the first paint (no flash of the wrong theme).
 * It is a fixed string so that its sha256 can sit in the Content-Security-Policy of public/_headers;
 * tests/site/headers.test.ts fails (and prints the new hash) if the two drift apart.
 *
 * Contract with the CSS: `<html data-theme="light|dark" data-theme-preference="light|dark|auto">`.
 */

/** localStorage key holding the learner's choice: `light`, `dark` or `auto`. */
export const THEME_STORAGE_KEY = 'sa-course:theme';

/** The script body, rendered verbatim with `<script is:inline set:html={THEME_INIT_SCRIPT}>`. */
export const THEME_INIT_SCRIPT =
  "(function(){var p='auto';try{p=localStorage.getItem('sa-course:theme')||'auto'}catch(e){}" +
  "if(p!=='light'&&p!=='dark')p='auto';var d=p==='dark'||(p==='auto'&&matchMedia('(prefers-color-scheme: dark)').matches);" +
  "var r=document.documentElement;r.dataset.theme=d?'dark':'light';r.dataset.themePreference=p})()";

/** Theme switch: applies and remembers light / dark / auto (the inline head script did the first paint). */
import { THEME_STORAGE_KEY } from '../theme-script.ts';

/** The three choices the learner has. */
export type ThemePreference = 'light' | 'dark' | 'auto';

let darkQueryList: MediaQueryList | undefined;
/** The OS dark-mode query, kept in one long-lived object so its change listener stays attached. */
const darkQuery = () => (darkQueryList ??= matchMedia('(prefers-color-scheme: dark)'));

/** The stored preference, `auto` when none or unreadable. */
export function storedPreference(): ThemePreference {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'auto';
  } catch {
    return 'auto';
  }
}

/** Sets `data-theme` (resolved light/dark) and `data-theme-preference` on <html>. */
export function applyTheme(preference: ThemePreference): void {
  const dark = preference === 'dark' || (preference === 'auto' && darkQuery().matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  document.documentElement.dataset.themePreference = preference;
}

/** Stores and applies `preference`. */
export function setTheme(preference: ThemePreference): void {
  try {
    if (preference === 'auto') localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Not remembered, but still applied to this page.
  }
  applyTheme(preference);
}

/** Wires every `select[data-theme-select]` and follows the OS setting while on `auto`. */
export function initThemeSwitch(): void {
  const selects = document.querySelectorAll<HTMLSelectElement>('select[data-theme-select]');
  for (const select of selects) {
    select.value = storedPreference();
    select.addEventListener('change', () => {
      setTheme(select.value as ThemePreference);
      for (const other of selects) other.value = select.value;
    });
  }
  darkQuery().addEventListener('change', () => {
    if (storedPreference() === 'auto') applyTheme('auto');
  });
}

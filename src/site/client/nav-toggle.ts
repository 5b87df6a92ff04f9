/** The "Lessons" menu button on narrow screens: shows and hides the sidebar. */

/** Wires `button[data-nav-toggle]` to the sidebar it controls (aria-controls); Escape closes it. */
export function initNavToggle(): void {
  const button = document.querySelector<HTMLButtonElement>('button[data-nav-toggle]');
  const panel = button && document.getElementById(button.getAttribute('aria-controls') ?? '');
  if (!button || !panel) return;
  const set = (open: boolean) => {
    button.setAttribute('aria-expanded', String(open));
    document.documentElement.toggleAttribute('data-nav-open', open);
  };
  button.addEventListener('click', () => set(button.getAttribute('aria-expanded') !== 'true'));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') {
      set(false);
      button.focus();
    }
  });
}

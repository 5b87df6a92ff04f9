/** Opens the search dialog from the header button, `/` or Ctrl/⌘+K; loads the search code on first use. */

let initialized: Promise<void> | undefined;

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Shows the dialog and focuses its input, importing src/site/client/search.ts the first time. */
async function openSearch(dialog: HTMLDialogElement): Promise<void> {
  if (!dialog.open) dialog.showModal();
  dialog.querySelector<HTMLInputElement>('input[type="search"]')?.focus();
  initialized ??= import('./search.ts').then(({ initSearchDialog }) =>
    initSearchDialog(dialog, document.documentElement.dataset.base ?? '/'),
  );
  await initialized;
}

/** Wires the header button and the keyboard shortcuts to the page's `dialog[data-search-dialog]`. */
export function initSearchLauncher(): void {
  const dialog = document.querySelector<HTMLDialogElement>('dialog[data-search-dialog]');
  if (!dialog) return;
  for (const button of document.querySelectorAll('[data-search-open]')) {
    button.addEventListener('click', () => void openSearch(dialog));
  }
  dialog.querySelector('[data-search-close]')?.addEventListener('click', () => dialog.close());
  document.addEventListener('keydown', (event) => {
    const ctrlK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
    const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !isEditable(event.target);
    if (!ctrlK && !slash) return;
    event.preventDefault();
    void openSearch(dialog);
  });
}

/** The lab's file list (one button per file), drawn the same way before and after the editor has loaded. */

/** Fills `tree` with the files in path order; the open one is marked current, read-only ones say so; a click picks. */
export function renderFileTree(tree: HTMLElement, paths: Iterable<string>, open: string, editable: readonly string[], pick: (path: string) => void): void {
  tree.replaceChildren(
    ...[...paths].sort().map((path) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'lab-file';
      button.textContent = path;
      button.title = editable.includes(path) ? 'Editable' : 'Read only';
      if (path === open) button.setAttribute('aria-current', 'true');
      if (!editable.includes(path)) button.dataset.readonly = '';
      button.addEventListener('click', () => pick(path));
      item.append(button);
      return item;
    }),
  );
}

/**
 * The only lab script a lesson page loads before a lab starts (keep it tiny): it wires "Copy link"
 * and "Embed", fetches the island code when a lab scrolls into view, and mounts it when the learner
 * presses "Start lab" (or at once on the embed page, which has data-lab-autostart).
 */
type IslandModule = typeof import('./lab-island.ts');

let island: Promise<IslandModule> | undefined;
const loadIsland = () => (island ??= import('./lab-island.ts'));

/** The standalone lab page's absolute URL. */
const embedUrl = (root: HTMLElement) => new URL(root.dataset.labEmbedPath ?? '', location.href).href;

/** Starts one lab; a failure is shown in the lab instead of being lost in the console. */
function start(root: HTMLElement): void {
  if (root.dataset.labState) return;
  root.dataset.labState = 'loading';
  root.dataset.labStartedAt = String(performance.now());
  loadIsland()
    .then((module) => module.mountLab(root))
    .catch((error: unknown) => {
      const line = root.querySelector('[data-lab-runtime]');
      if (line) line.textContent = `The lab could not start: ${error instanceof Error ? error.message : String(error)}`;
      root.dataset.labState = 'error';
    });
}

/** Copies text to the clipboard and says so in `status`. */
function copy(text: string, status: Element | null, what: string): void {
  navigator.clipboard?.writeText(text).then(
    () => status && (status.textContent = `${what} copied.`),
    () => status && (status.textContent = `Copy failed: select the text and copy it yourself.`),
  );
}

const observer =
  'IntersectionObserver' in globalThis
    ? new IntersectionObserver(
        (entries) => {
          if (entries.some((entry) => entry.isIntersecting)) {
            void loadIsland()
              .then((module) => module.prepareLab())
              .catch(() => undefined);
            observer?.disconnect();
          }
        },
        { rootMargin: '200px' },
      )
    : undefined;

for (const root of document.querySelectorAll<HTMLElement>('[data-lab]')) {
  const status = root.querySelector('[data-lab-share-status]');
  root.querySelector('[data-lab-start]')?.addEventListener('click', () => start(root));
  root.querySelector('[data-lab-copy-link]')?.addEventListener('click', () => copy(embedUrl(root), status, 'Link'));
  const embedButton = root.querySelector<HTMLButtonElement>('[data-lab-embed]');
  const embedBox = root.querySelector<HTMLElement>('[data-lab-embed-box]');
  const snippet = root.querySelector<HTMLTextAreaElement>('[data-lab-embed-snippet]');
  embedButton?.addEventListener('click', () => {
    if (!embedBox || !snippet) return;
    const title = root.dataset.labTitle ?? 'Lab';
    snippet.value = `<iframe src="${embedUrl(root)}" title="Lab: ${title.replace(/"/g, '&quot;')}" width="100%" height="900" style="border:0" loading="lazy"></iframe>`;
    embedBox.hidden = !embedBox.hidden;
    embedButton.setAttribute('aria-expanded', String(!embedBox.hidden));
    if (!embedBox.hidden) {
      snippet.select();
      copy(snippet.value, status, 'Embed code');
    }
  });
  if (root.hasAttribute('data-lab-autostart')) start(root);
  else observer?.observe(root);
}

/**
 * The only lab script a lesson page loads before a lab starts (keep it small): it wires "Copy link"
 * and "Embed", preloads the lab's code and warms the runtime Worker when a lab comes near the
 * viewport, and on "Start lab" (or at once on the embed page, which has data-lab-autostart) boots
 * the runtime at the same time as the island's code downloads, so neither waits for the other.
 */
import { readLabPageData } from './lab-page-data.ts';
import { filesWithEdits, openLabStore } from './lab-storage.ts';
import { startLabRuntime } from './runtime-start.ts';
import { prewarmRuntimeWorker } from '../runtime/in-page/in-page-runtime.ts';

type IslandModule = typeof import('./lab-island.ts');

let island: Promise<IslandModule> | undefined;
const loadIsland = () => (island ??= import('./lab-island.ts'));

/** The standalone lab page's absolute URL. */
const embedUrl = (root: HTMLElement) => new URL(root.dataset.labEmbedPath ?? '', location.href).href;

/** Says in the lab that it could not start, instead of losing the error in the console. */
function showStartError(root: HTMLElement, error: unknown): void {
  const line = root.querySelector('[data-lab-runtime]');
  if (line) line.textContent = `The lab could not start: ${error instanceof Error ? error.message : String(error)}`;
  root.dataset.labState = 'error';
}

/** Starts one lab: the runtime boots while the island's code loads. */
function start(root: HTMLElement): void {
  if (root.dataset.labState) return;
  root.dataset.labState = 'loading';
  observer?.unobserve(root);
  root.dataset.labStartedAt = String(performance.mark('lab:start').startTime);
  try {
    const data = readLabPageData(root);
    const store = openLabStore(data.id);
    const saved = store.read();
    const booting = startLabRuntime(data, saved.runtime ?? 'auto', filesWithEdits(data.files, data.editable, saved.files));
    // The island reports a boot failure; this only keeps it from being "unhandled" meanwhile.
    booting.then(() => performance.mark('lab:runtime-booted'), () => undefined);
    loadIsland()
      .then((module) => {
        performance.mark('lab:island-loaded');
        return module.mountLab(root, { data, store, saved, booting });
      })
      .catch((error: unknown) => showStartError(root, error));
  } catch (error) {
    showStartError(root, error);
  }
}

/** Copies text to the clipboard and says so in `status`. */
function copy(text: string, status: Element | null, what: string): void {
  navigator.clipboard?.writeText(text).then(
    () => status && (status.textContent = `${what} copied.`),
    () => status && (status.textContent = `Copy failed: select the text and copy it yourself.`),
  );
}

/** Fetches the lab's code and starts a Worker ahead of "Start lab" (once per page). */
function prepare(root: HTMLElement): void {
  if (root.dataset.labState || root.dataset.labPrepared !== undefined) return;
  root.dataset.labPrepared = '';
  prewarmRuntimeWorker();
  void loadIsland()
    .then((module) => module.prepareLab())
    .catch(() => undefined);
}

// A lab within about a screen of the viewport: fetch its code and start the Worker, so that
// "Start lab" finds everything loaded.
const observer =
  'IntersectionObserver' in globalThis
    ? new IntersectionObserver(
        (entries) => {
          const near = entries.find((entry) => entry.isIntersecting);
          if (!near) return;
          observer?.disconnect();
          // A lab already started has its Worker; prepare() does not start a second one.
          prepare(near.target as HTMLElement);
        },
        { rootMargin: '100% 0px' },
      )
    : undefined;

for (const root of document.querySelectorAll<HTMLElement>('[data-lab]')) {
  const status = root.querySelector('[data-lab-share-status]');
  const startButton = root.querySelector('[data-lab-start]');
  startButton?.addEventListener('click', () => start(root));
  // The pointer on its way to "Start lab", or focus on it, is a head start of a few hundred ms.
  for (const type of ['pointerenter', 'focus']) startButton?.addEventListener(type, () => prepare(root), { once: true });
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

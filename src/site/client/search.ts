/**
 * The search dialog, backed by the Pagefind index that `npm run build` writes to dist/pagefind/.
 * Loaded only when search is first opened (src/site/client/search-launcher.ts), so lesson pages
 * carry no search code until then. Everything comes from the site's own origin.
 */

/** The part of Pagefind's JS API used here (pagefind.js, https://pagefind.app/docs/api/). */
interface Pagefind {
  options(options: { baseUrl?: string; excerptLength?: number }): Promise<void>;
  init(): Promise<void>;
  debouncedSearch(query: string, options?: object, debounceMs?: number): Promise<PagefindSearch | null>;
}
interface PagefindSearch {
  results: { id: string; data(): Promise<PagefindResult> }[];
}
interface PagefindSubResult {
  title: string;
  url: string;
  excerpt: string;
}
interface PagefindResult {
  url: string;
  excerpt: string;
  meta: { title?: string };
  sub_results?: PagefindSubResult[];
}

const MAX_RESULTS = 8;
const MAX_SUB_RESULTS = 3;
let pagefind: Promise<Pagefind> | undefined;

/** Imports pagefind.js from under the site's base path, once. */
function loadPagefind(base: string): Promise<Pagefind> {
  pagefind ??= (async () => {
    const url = `${base}pagefind/pagefind.js`;
    const module = (await import(/* @vite-ignore */ url)) as Pagefind;
    await module.options({ baseUrl: base, excerptLength: 24 });
    await module.init();
    return module;
  })();
  return pagefind;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

/** Renders one Pagefind result: the page title, then up to three matching sections with excerpts. */
function renderResult(result: PagefindResult): HTMLLIElement {
  const item = element('li', 'search-result');
  const page = element('a', 'search-result-page');
  page.href = result.url;
  page.textContent = result.meta.title ?? result.url;
  item.append(page);
  const sections = (result.sub_results ?? []).filter((sub) => sub.url !== result.url).slice(0, MAX_SUB_RESULTS);
  if (sections.length === 0) {
    const excerpt = element('p', 'search-excerpt');
    excerpt.innerHTML = result.excerpt; // Pagefind escapes page text and adds only <mark>.
    item.append(excerpt);
    return item;
  }
  const list = element('ul', 'search-sections');
  for (const sub of sections) {
    const li = element('li');
    const link = element('a');
    link.href = sub.url;
    link.textContent = sub.title;
    const excerpt = element('p', 'search-excerpt');
    excerpt.innerHTML = sub.excerpt;
    li.append(link, excerpt);
    list.append(li);
  }
  item.append(list);
  return item;
}

/** Wires the search dialog: typing queries Pagefind, results replace the list, a status line is announced. */
export function initSearchDialog(dialog: HTMLDialogElement, base: string): void {
  const input = dialog.querySelector<HTMLInputElement>('input[type="search"]');
  const list = dialog.querySelector<HTMLElement>('[data-search-results]');
  const status = dialog.querySelector<HTMLElement>('[data-search-status]');
  if (!input || !list || !status) throw new Error('search dialog: missing input, [data-search-results] or [data-search-status]');

  const run = async () => {
    const query = input.value.trim();
    if (query === '') {
      list.replaceChildren();
      status.textContent = '';
      return;
    }
    let api: Pagefind;
    try {
      api = await loadPagefind(base);
    } catch {
      status.textContent = 'The search index is missing. It is built by "npm run build" (not by the dev server).';
      return;
    }
    const search = await api.debouncedSearch(query, {}, 150);
    if (search === null) return; // A newer keystroke superseded this one.
    const results = await Promise.all(search.results.slice(0, MAX_RESULTS).map((result) => result.data()));
    if (input.value.trim() !== query) return;
    list.replaceChildren(...results.map(renderResult));
    status.textContent =
      search.results.length === 0
        ? `No results for “${query}”.`
        : `${search.results.length} result${search.results.length === 1 ? '' : 's'} for “${query}”.`;
  };
  input.addEventListener('input', () => void run());
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
    if ((event.target as Element).closest('a')) dialog.close();
  });
  // The learner may have typed while this module was loading: search for what is already there.
  if (input.value.trim() !== '') void run();
  else void loadPagefind(base).catch(() => undefined);
}

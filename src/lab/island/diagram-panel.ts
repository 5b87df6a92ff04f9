/**
 * Draws the live diagram (SVG) from diagram-model.ts: the units that trigger (sockets, path units)
 * on the left, the services they start on the right, one "triggers" arrow per relation with the fd
 * handed over, and the backlog as dots. Nothing is cut off: a long name (an Accept=yes instance)
 * wraps onto more lines, and each fd a service got has its own line, so boxes grow to fit.
 * The text alternative is a polite live region next to it.
 */
import type { DiagramBox, DiagramModel, DiagramRow } from './diagram-model.ts';

const WIDTH = 640;
const BOX_WIDTH = 250;
const SERVICE_X = WIDTH - BOX_WIDTH - 8;
/** Narrow figures (a phone) stack each service under its sources instead. */
const NARROW_WIDTH = 300;
const NARROW_BOX_WIDTH = NARROW_WIDTH - 16;
const NARROW_ARROW = 46;
const GAP = 14;
const MAX_DOTS = 10;
const PADDING = 12;
/** Line heights and character widths of the box texts (lab-island.css: 15 px bold and 13 px monospace). */
const NAME_LINE = 19;
const TEXT_LINE = 18;
const NAME_CHAR = 9.2;
const TEXT_CHAR = 7.9;

/** Escapes text for SVG markup. */
function escape(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char);
}

/** Splits `text` into lines of at most `max` characters, preferring breaks after @ - : , and spaces. */
export function wrapText(text: string, max: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const breakAt = Math.max(...['@', '-', ':', ',', ' ', '.'].map((char) => window.lastIndexOf(char)));
    const cut = breakAt >= max / 3 ? breakAt + 1 : max;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '' || lines.length === 0) lines.push(rest);
  return lines;
}

/** The text lines of a box: name lines, the state, and the details (addresses, fds, backlog room). */
function boxLines(box: DiagramBox, width: number): { name: string[]; details: string[]; height: number } {
  const name = wrapText(box.name, Math.floor((width - 2 * PADDING) / NAME_CHAR));
  const chars = Math.floor((width - 2 * PADDING) / TEXT_CHAR);
  const detailTexts =
    box.kind === 'socket'
      ? box.listen.length > 0
        ? box.listen
        : ['no Listen setting']
      : box.kind === 'path'
        ? ['watches a path']
        : box.fds.length > 0
          ? box.fds.map((fd) => `fd ${fd.fd} ← ${fd.socket}`)
          : ['no fds'];
  const details = detailTexts.flatMap((text) => wrapText(text, chars));
  const dots = box.pending > 0 ? TEXT_LINE : 0;
  return { name, details, height: PADDING + name.length * NAME_LINE + TEXT_LINE * (1 + details.length) + dots + PADDING / 2 };
}

/** Height of a box at `width`. */
const boxHeight = (box: DiagramBox, width: number) => boxLines(box, width).height;

/** One box: name, state, and the socket's addresses and backlog, the path, or the service's fds. */
function boxMarkup(box: DiagramBox, x: number, y: number, width = BOX_WIDTH): string {
  const { name, details, height } = boxLines(box, width);
  let line = y + PADDING + 11;
  const texts: string[] = [];
  for (const text of name) {
    texts.push(`<text class="lab-name" x="${x + PADDING}" y="${line}">${escape(text)}</text>`);
    line += NAME_LINE;
  }
  texts.push(`<text class="lab-state" x="${x + PADDING}" y="${line}">${escape(box.stateText)}</text>`);
  line += TEXT_LINE;
  for (const text of details) {
    texts.push(`<text class="lab-detail" x="${x + PADDING}" y="${line}">${escape(text)}</text>`);
    line += TEXT_LINE;
  }
  const dotsY = y + height - 12;
  const dots = Array.from({ length: Math.min(box.pending, MAX_DOTS) }, (_, index) =>
    `<circle class="lab-dot" cx="${x + width - 12 - index * 11}" cy="${dotsY}" r="4"/>`,
  ).join('');
  const more = box.pending > MAX_DOTS ? `<text class="lab-more" x="${x + width - 14 - MAX_DOTS * 11}" y="${dotsY + 4}" text-anchor="end">+${box.pending - MAX_DOTS}</text>` : '';
  return (
    `<g class="lab-box lab-${box.kind} state-${box.activeState}" data-unit="${escape(box.name)}" data-state="${escape(box.activeState)}">` +
    `<title>${escape(box.name)}</title>` +
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="8"/>` +
    texts.join('') +
    dots +
    more +
    '</g>'
  );
}

/** The arrow label: "triggers", plus the fd once the service got it. */
function arrowLabel(source: DiagramBox, service: DiagramBox): string {
  const fd = service.fds.find((item) => item.socket === source.name);
  return `triggers${fd && service.activeState !== 'inactive' ? ` · fd ${fd.fd}` : ''}`;
}

/** Stacks `boxes` from `top`; returns each box's top and the column's height. */
function stack(boxes: DiagramBox[], top: number, width: number): { tops: number[]; height: number } {
  const tops: number[] = [];
  let y = top;
  for (const box of boxes) {
    tops.push(y);
    y += boxHeight(box, width) + GAP;
  }
  return { tops, height: Math.max(y - top - GAP, 0) };
}

/** Narrow layout: the sources, a downward "triggers" arrow, then the services, one under the other. */
function narrowMarkup(model: DiagramModel): string {
  let y = 8;
  const parts: string[] = [];
  for (const row of model.rows) {
    for (const source of row.sources) {
      parts.push(boxMarkup(source, 8, y, NARROW_BOX_WIDTH));
      y += boxHeight(source, NARROW_BOX_WIDTH) + GAP / 2;
    }
    if (row.sources.length > 0 && row.services.length > 0) {
      const x = NARROW_WIDTH / 2;
      const labels = row.sources.map((source) => {
        const target = row.services.find((service) => row.links.some((link) => link.from === source.name && link.to === service.name));
        return target ? `${row.sources.length > 1 ? `${source.name.replace(/\.(socket|path)$/, '')} ` : ''}${arrowLabel(source, target)}` : '';
      }).filter(Boolean);
      const height = Math.max(NARROW_ARROW, 14 + labels.length * 16);
      parts.push(`<path class="lab-arrow" d="M ${x} ${y - GAP / 2} L ${x} ${y + height - 4}" marker-end="url(#lab-arrowhead)"/>`);
      labels.forEach((label, index) => {
        parts.push(`<text class="lab-arrow-label" x="${x + 10}" y="${y + 14 + index * 16}">${escape(label)}</text>`);
      });
      y += height;
    }
    for (const service of row.services) {
      parts.push(boxMarkup(service, 8, y, NARROW_BOX_WIDTH));
      y += boxHeight(service, NARROW_BOX_WIDTH) + GAP / 2;
    }
    y += GAP * 2;
  }
  return svgMarkup(NARROW_WIDTH, Math.max(y, 60), parts.join(''), model.rows.length === 0);
}

/** The <svg> element around `content`. */
function svgMarkup(width: number, height: number, content: string, empty: boolean): string {
  const emptyText = empty ? `<text class="lab-detail" x="${width / 2}" y="34" text-anchor="middle">No socket or service loaded yet</text>` : '';
  return (
    `<svg class="lab-diagram-svg" viewBox="0 0 ${width} ${Math.ceil(height)}" role="img" aria-label="Units and sockets" focusable="false">` +
    '<defs><marker id="lab-arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>' +
    content +
    emptyText +
    '</svg>'
  );
}

/** Markup of one wide row at `top`; returns it and the row's height. */
function wideRow(row: DiagramRow, top: number): { markup: string; height: number } {
  const left = stack(row.sources, top, BOX_WIDTH);
  const right = stack(row.services, top, BOX_WIDTH);
  const height = Math.max(left.height, right.height);
  // The shorter column is centred against the taller one.
  const leftShift = (height - left.height) / 2;
  const rightShift = (height - right.height) / 2;
  const parts: string[] = [];
  const middle = (tops: number[], boxes: DiagramBox[], index: number, shift: number) => tops[index] + shift + boxHeight(boxes[index], BOX_WIDTH) / 2;
  for (const link of row.links) {
    const from = row.sources.findIndex((box) => box.name === link.from);
    const to = row.services.findIndex((box) => box.name === link.to);
    if (from < 0 || to < 0) continue;
    const fromY = middle(left.tops, row.sources, from, leftShift);
    const toY = middle(right.tops, row.services, to, rightShift);
    parts.push(
      `<path class="lab-arrow" data-from="${escape(link.from)}" data-to="${escape(link.to)}" d="M ${8 + BOX_WIDTH} ${fromY} C ${WIDTH / 2} ${fromY}, ${WIDTH / 2} ${toY}, ${SERVICE_X - 4} ${toY}" marker-end="url(#lab-arrowhead)"/>` +
        // Next to its source, so two arrows into one service keep their labels apart.
        `<text class="lab-arrow-label" x="${8 + BOX_WIDTH + 8}" y="${fromY - 7}">${escape(arrowLabel(row.sources[from], row.services[to]))}</text>`,
    );
  }
  row.sources.forEach((box, index) => parts.push(boxMarkup(box, 8, left.tops[index] + leftShift)));
  row.services.forEach((box, index) => parts.push(boxMarkup(box, SERVICE_X, right.tops[index] + rightShift)));
  return { markup: parts.join(''), height };
}

/** SVG markup of the whole model; `narrow` stacks services under their sources. */
export function diagramMarkup(model: DiagramModel, narrow = false): string {
  if (narrow) return narrowMarkup(model);
  let y = 8;
  const parts: string[] = [];
  for (const row of model.rows) {
    const { markup, height } = wideRow(row, y);
    parts.push(markup);
    y += height + GAP * 2;
  }
  return svgMarkup(WIDTH, Math.max(y, 60), parts.join(''), model.rows.length === 0);
}

/** Renders `model` into `figure` and its sentence into `summary` (a polite live region). */
export function renderDiagram(figure: HTMLElement, summary: HTMLElement, model: DiagramModel): void {
  figure.innerHTML = diagramMarkup(model, figure.clientWidth > 0 && figure.clientWidth < 480);
  if (summary.textContent !== model.summary) summary.textContent = model.summary;
}

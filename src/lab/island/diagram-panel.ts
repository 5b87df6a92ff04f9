/**
 * Draws the live diagram (SVG) from diagram-model.ts: socket boxes on the left, the services they
 * trigger on the right, "triggers" arrows with the fd numbers handed over, and the backlog as dots.
 * The text alternative is a polite live region next to it.
 */
import type { DiagramBox, DiagramModel } from './diagram-model.ts';

const WIDTH = 600;
const BOX_WIDTH = 230;
const SERVICE_X = WIDTH - BOX_WIDTH - 8;
const BOX_HEIGHT = 78;
const GAP = 14;
const MAX_DOTS = 10;

/** Escapes text for SVG markup. */
function escape(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char);
}

/** One box: name, state, and the socket's addresses and backlog or the service's fds. */
function boxMarkup(box: DiagramBox, x: number, y: number): string {
  const detail =
    box.kind === 'socket'
      ? box.listen.join(', ') || 'no Listen setting'
      : box.fds.map((fd) => `fd ${fd.fd} ← ${fd.socket}`).join(', ') || 'no fds';
  const dots = Array.from({ length: Math.min(box.pending, MAX_DOTS) }, (_, index) =>
    `<circle class="lab-dot" cx="${x + BOX_WIDTH - 12 - index * 11}" cy="${y + BOX_HEIGHT - 12}" r="4"/>`,
  ).join('');
  const more = box.pending > MAX_DOTS ? `<text class="lab-more" x="${x + BOX_WIDTH - 14 - MAX_DOTS * 11}" y="${y + BOX_HEIGHT - 8}" text-anchor="end">+${box.pending - MAX_DOTS}</text>` : '';
  return (
    `<g class="lab-box lab-${box.kind} state-${box.activeState}" data-unit="${escape(box.name)}" data-state="${escape(box.activeState)}">` +
    `<rect x="${x}" y="${y}" width="${BOX_WIDTH}" height="${BOX_HEIGHT}" rx="8"/>` +
    `<text class="lab-name" x="${x + 12}" y="${y + 22}">${escape(box.name)}</text>` +
    `<text class="lab-state" x="${x + 12}" y="${y + 42}">${escape(box.stateText)}</text>` +
    `<text class="lab-detail" x="${x + 12}" y="${y + 62}">${escape(detail.length > 30 ? `${detail.slice(0, 29)}…` : detail)}</text>` +
    dots +
    more +
    '</g>'
  );
}

/** SVG markup of the whole model. */
export function diagramMarkup(model: DiagramModel): string {
  let y = 8;
  const parts: string[] = [];
  for (const row of model.rows) {
    const serviceCount = Math.max(row.services.length, 1);
    const rowHeight = serviceCount * BOX_HEIGHT + (serviceCount - 1) * GAP;
    if (row.socket) parts.push(boxMarkup(row.socket, 8, y + (rowHeight - BOX_HEIGHT) / 2));
    row.services.forEach((service, index) => {
      const serviceY = y + index * (BOX_HEIGHT + GAP);
      if (row.socket) {
        const fromY = y + rowHeight / 2;
        const toY = serviceY + BOX_HEIGHT / 2;
        const fd = service.fds.find((item) => item.socket === row.socket?.name);
        parts.push(
          `<path class="lab-arrow" d="M ${8 + BOX_WIDTH} ${fromY} C ${WIDTH / 2} ${fromY}, ${WIDTH / 2} ${toY}, ${SERVICE_X - 4} ${toY}" marker-end="url(#lab-arrowhead)"/>` +
            `<text class="lab-arrow-label" x="${WIDTH / 2}" y="${(fromY + toY) / 2 - 6}" text-anchor="middle">triggers${fd && service.activeState !== 'inactive' ? ` · fd ${fd.fd}` : ''}</text>`,
        );
      }
      parts.push(boxMarkup(service, SERVICE_X, serviceY));
    });
    y += rowHeight + GAP * 2;
  }
  const height = Math.max(y, 60);
  const empty = model.rows.length === 0 ? `<text class="lab-detail" x="${WIDTH / 2}" y="34" text-anchor="middle">No socket or service loaded yet</text>` : '';
  return (
    `<svg class="lab-diagram-svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Units and sockets" focusable="false">` +
    '<defs><marker id="lab-arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>' +
    parts.join('') +
    empty +
    '</svg>'
  );
}

/** Renders `model` into `figure` and its sentence into `summary` (a polite live region). */
export function renderDiagram(figure: HTMLElement, summary: HTMLElement, model: DiagramModel): void {
  figure.innerHTML = diagramMarkup(model);
  if (summary.textContent !== model.summary) summary.textContent = model.summary;
}

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
/** Narrow figures (a phone) stack each service under its socket instead. */
const NARROW_WIDTH = 300;
const NARROW_BOX_WIDTH = NARROW_WIDTH - 16;
const NARROW_ARROW = 46;
const GAP = 14;
const MAX_DOTS = 10;

/** Escapes text for SVG markup. */
function escape(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char);
}

/** One box: name, state, and the socket's addresses and backlog or the service's fds. */
function boxMarkup(box: DiagramBox, x: number, y: number, width = BOX_WIDTH): string {
  const detail =
    box.kind === 'socket'
      ? box.listen.join(', ') || 'no Listen setting'
      : box.fds.map((fd) => `fd ${fd.fd} ← ${fd.socket}`).join(', ') || 'no fds';
  const dots = Array.from({ length: Math.min(box.pending, MAX_DOTS) }, (_, index) =>
    `<circle class="lab-dot" cx="${x + width - 12 - index * 11}" cy="${y + BOX_HEIGHT - 12}" r="4"/>`,
  ).join('');
  const more = box.pending > MAX_DOTS ? `<text class="lab-more" x="${x + width - 14 - MAX_DOTS * 11}" y="${y + BOX_HEIGHT - 8}" text-anchor="end">+${box.pending - MAX_DOTS}</text>` : '';
  return (
    `<g class="lab-box lab-${box.kind} state-${box.activeState}" data-unit="${escape(box.name)}" data-state="${escape(box.activeState)}">` +
    `<rect x="${x}" y="${y}" width="${width}" height="${BOX_HEIGHT}" rx="8"/>` +
    `<text class="lab-name" x="${x + 12}" y="${y + 22}">${escape(box.name)}</text>` +
    `<text class="lab-state" x="${x + 12}" y="${y + 42}">${escape(box.stateText)}</text>` +
    `<text class="lab-detail" x="${x + 12}" y="${y + 62}">${escape(detail.length > 30 ? `${detail.slice(0, 29)}…` : detail)}</text>` +
    dots +
    more +
    '</g>'
  );
}

/** The arrow label: "triggers", plus the fd once the service got it. */
function arrowLabel(socket: DiagramBox, service: DiagramBox): string {
  const fd = service.fds.find((item) => item.socket === socket.name);
  return `triggers${fd && service.activeState !== 'inactive' ? ` · fd ${fd.fd}` : ''}`;
}

/** Narrow layout: socket, a downward "triggers" arrow, then its services, one under the other. */
function narrowMarkup(model: DiagramModel): string {
  let y = 8;
  const parts: string[] = [];
  for (const row of model.rows) {
    if (row.socket) {
      parts.push(boxMarkup(row.socket, 8, y, NARROW_BOX_WIDTH));
      y += BOX_HEIGHT;
    }
    row.services.forEach((service, index) => {
      if (row.socket && index === 0) {
        const x = NARROW_WIDTH / 2;
        parts.push(
          `<path class="lab-arrow" d="M ${x} ${y} L ${x} ${y + NARROW_ARROW - 4}" marker-end="url(#lab-arrowhead)"/>` +
            `<text class="lab-arrow-label" x="${x + 10}" y="${y + NARROW_ARROW / 2 + 4}">${escape(arrowLabel(row.socket, service))}</text>`,
        );
        y += NARROW_ARROW;
      } else if (index > 0) y += GAP / 2;
      parts.push(boxMarkup(service, 8, y, NARROW_BOX_WIDTH));
      y += BOX_HEIGHT;
    });
    y += GAP * 2;
  }
  return svgMarkup(NARROW_WIDTH, Math.max(y, 60), parts.join(''), model.rows.length === 0);
}

/** The <svg> element around `content`. */
function svgMarkup(width: number, height: number, content: string, empty: boolean): string {
  const emptyText = empty ? `<text class="lab-detail" x="${width / 2}" y="34" text-anchor="middle">No socket or service loaded yet</text>` : '';
  return (
    `<svg class="lab-diagram-svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="Units and sockets" focusable="false">` +
    '<defs><marker id="lab-arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>' +
    content +
    emptyText +
    '</svg>'
  );
}

/** SVG markup of the whole model; `narrow` stacks services under their sockets. */
export function diagramMarkup(model: DiagramModel, narrow = false): string {
  if (narrow) return narrowMarkup(model);
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
        parts.push(
          `<path class="lab-arrow" d="M ${8 + BOX_WIDTH} ${fromY} C ${WIDTH / 2} ${fromY}, ${WIDTH / 2} ${toY}, ${SERVICE_X - 4} ${toY}" marker-end="url(#lab-arrowhead)"/>` +
            `<text class="lab-arrow-label" x="${WIDTH / 2}" y="${(fromY + toY) / 2 - 6}" text-anchor="middle">${escape(arrowLabel(row.socket, service))}</text>`,
        );
      }
      parts.push(boxMarkup(service, SERVICE_X, serviceY));
    });
    y += rowHeight + GAP * 2;
  }
  return svgMarkup(WIDTH, Math.max(y, 60), parts.join(''), model.rows.length === 0);
}

/** Renders `model` into `figure` and its sentence into `summary` (a polite live region). */
export function renderDiagram(figure: HTMLElement, summary: HTMLElement, model: DiagramModel): void {
  figure.innerHTML = diagramMarkup(model, figure.clientWidth > 0 && figure.clientWidth < 480);
  if (summary.textContent !== model.summary) summary.textContent = model.summary;
}

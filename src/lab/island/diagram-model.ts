/**
 * The live diagram's data, as pure functions: which boxes (sockets, services) and arrows to draw from
 * a snapshot and the backlog counts the connection events report, plus the sentence that describes it
 * for screen readers.
 */
import type { SystemEvent, SystemSnapshot, UnitSnapshot } from '../../emulator/system-events.ts';
import { withSuffix } from '../../emulator/unit-file/unit-name.ts';

/** A socket or service box. */
export interface DiagramBox {
  name: string;
  kind: 'socket' | 'service';
  activeState: UnitSnapshot['activeState'];
  subState: string;
  /** `active (listening)`, `inactive (dead)`… as systemctl status shows it. */
  stateText: string;
  /** Sockets: listen addresses. */
  listen: string[];
  /** Sockets: connections waiting in the backlog. */
  pending: number;
  /** Services: fds handed at start (`fd 3 ← myapp.socket`). */
  fds: Array<{ fd: number; socket: string }>;
}

/** One row: a socket and the services it triggers (or a lone service). */
export interface DiagramRow {
  socket?: DiagramBox;
  services: DiagramBox[];
}

/** Everything the diagram draws. */
export interface DiagramModel {
  rows: DiagramRow[];
  summary: string;
}

/** Keeps the latest unit snapshots and backlog counts as events arrive. */
export interface DiagramState {
  units: Map<string, UnitSnapshot>;
  /** Backlog counts from connection events, by socket unit; preferred over the snapshot's once seen. */
  pending: Map<string, number>;
}

/** A fresh state from a snapshot. */
export function diagramStateFrom(snapshot: SystemSnapshot): DiagramState {
  return { units: new Map(snapshot.units.map((unit) => [unit.name, unit])), pending: new Map() };
}

/** Applies one event; returns true when the picture may have changed. */
export function applyDiagramEvent(state: DiagramState, event: SystemEvent): boolean {
  switch (event.type) {
    case 'unit':
      state.units.set(event.unit.name, event.unit);
      if (event.unit.listen) state.pending.delete(event.unit.name);
      return true;
    case 'connection':
      state.pending.set(event.socket, event.pending);
      return true;
    default:
      return false;
  }
}

/** `active (running)` style text; a unit that did not load says why (`bad-setting`, `not loaded`). */
function stateText(unit: UnitSnapshot): string {
  if (unit.loadState !== 'loaded') return unit.loadState === 'not-found' ? 'not loaded' : unit.loadState;
  return `${unit.activeState} (${unit.subState})`;
}

/** A stand-in for a lab unit the manager has not loaded (systemd loads units on demand). */
function notLoaded(name: string): UnitSnapshot {
  const isSocket = name.endsWith('.socket');
  return {
    name,
    type: isSocket ? 'socket' : 'service',
    description: name,
    loadState: 'not-found',
    activeState: 'inactive',
    subState: 'dead',
    result: 'success',
    unitFileState: 'disabled',
    // Without Service=, a socket triggers the service of the same name (the emulator's rule, unit-name.ts).
    triggers: isSocket ? [withSuffix(name, 'service')] : [],
    triggeredBy: [],
    stateChangeTimestamp: 0,
  };
}

/** True when `name` is one of the lab's units or an instance of one of its templates. */
function isLabUnit(name: string, labUnits: ReadonlySet<string>): boolean {
  if (labUnits.has(name)) return true;
  const template = /^([^@]+@).*(\.(?:service|socket))$/.exec(name);
  return template !== null && labUnits.has(`${template[1]}${template[2]}`);
}

/** Builds the boxes, rows and summary; `labUnits` limits the picture to the lab's own unit names. */
export function buildDiagram(state: DiagramState, labUnits: ReadonlySet<string>): DiagramModel {
  const units = [...state.units.values()].filter(
    (unit) => (unit.type === 'socket' || unit.type === 'service') && isLabUnit(unit.name, labUnits),
  );
  for (const name of labUnits) {
    if (!name.includes('@') && !state.units.has(name)) units.push(notLoaded(name));
  }
  const box = (unit: UnitSnapshot): DiagramBox => ({
    name: unit.name,
    kind: unit.type === 'socket' ? 'socket' : 'service',
    activeState: unit.activeState,
    subState: unit.subState,
    stateText: stateText(unit),
    listen: (unit.listen ?? []).map((listen) => listen.address),
    pending: state.pending.get(unit.name) ?? (unit.listen ?? []).reduce((sum, listen) => sum + listen.pending, 0),
    fds: (unit.fds ?? []).map(({ fd, socket }) => ({ fd, socket })),
  });
  const byName = new Map(units.map((unit) => [unit.name, unit]));
  const placed = new Set<string>();
  const rows: DiagramRow[] = [];
  for (const socket of units.filter((unit) => unit.type === 'socket').sort((a, b) => a.name.localeCompare(b.name))) {
    const services = socket.triggers
      .map((name) => byName.get(name))
      .concat(units.filter((unit) => unit.triggeredBy.includes(socket.name)))
      .filter((unit): unit is UnitSnapshot => unit !== undefined && unit.type === 'service' && !placed.has(unit.name))
      .filter((unit, index, list) => list.findIndex((other) => other.name === unit.name) === index);
    services.forEach((service) => placed.add(service.name));
    rows.push({ socket: box(socket), services: services.map(box) });
  }
  for (const service of units.filter((unit) => unit.type === 'service' && !placed.has(unit.name))) {
    rows.push({ services: [box(service)] });
  }
  return { rows, summary: describeDiagram(rows) };
}

/** One sentence per unit: "myapp.socket: active (listening), 1 connection waiting." */
export function describeDiagram(rows: readonly DiagramRow[]): string {
  if (rows.length === 0) return 'No socket or service of this lab is loaded yet.';
  const parts: string[] = [];
  for (const row of rows) {
    if (row.socket) {
      const waiting = row.socket.pending;
      const backlog = waiting > 0 ? `, ${waiting} connection${waiting === 1 ? '' : 's'} waiting` : '';
      const triggers = row.services.length > 0 ? `, triggers ${row.services.map((s) => s.name).join(', ')}` : '';
      parts.push(`${row.socket.name}: ${row.socket.stateText}${backlog}${triggers}.`);
    }
    for (const service of row.services) {
      const fds = service.fds.map((fd) => `fd ${fd.fd} from ${fd.socket}`).join(', ');
      const handed = fds && service.activeState !== 'inactive' ? `, got ${fds}` : '';
      parts.push(`${service.name}: ${service.stateText}${handed}.`);
    }
  }
  return parts.join(' ');
}

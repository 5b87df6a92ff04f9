/**
 * The live diagram's data, as pure functions: which boxes (sockets, services) and arrows to draw from
 * a snapshot and the backlog counts the connection events report, plus the sentence that describes it
 * for screen readers.
 */
import type { SystemEvent, SystemSnapshot, UnitSnapshot } from '../../emulator/system-events.ts';
import { socketServiceName } from '../../emulator/unit-file/unit-name.ts';

/** A socket, path or service box. */
export interface DiagramBox {
  name: string;
  kind: 'socket' | 'service' | 'path';
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

/** One row: the units that trigger (sockets, paths) and the services they trigger, or a lone service. */
export interface DiagramRow {
  /** The row's first socket (its first trigger unit). */
  socket?: DiagramBox;
  /** Every trigger unit of the row: its sockets, then its path units. */
  sources: DiagramBox[];
  services: DiagramBox[];
  /** "triggers" arrows: source name → service name (a service two sockets start gets two). */
  links: Array<{ from: string; to: string }>;
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

/** The unit type of a lab unit's name. */
function typeOf(name: string): UnitSnapshot['type'] | undefined {
  const suffix = /\.(socket|service|path)$/.exec(name)?.[1];
  return suffix as UnitSnapshot['type'] | undefined;
}

/** A stand-in for a lab unit the manager has not loaded (systemd loads units on demand). */
function notLoaded(name: string): UnitSnapshot {
  const type = typeOf(name) ?? 'service';
  return {
    name,
    type,
    description: name,
    loadState: 'not-found',
    activeState: 'inactive',
    subState: 'dead',
    result: 'success',
    unitFileState: 'disabled',
    // Without Service= / Unit=, a socket or path unit triggers the service of the same name.
    triggers: type === 'socket' ? [socketServiceName(name)] : type === 'path' ? [name.replace(/\.path$/, '.service')] : [],
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

/** Sockets first, then paths, each by name. */
const sourceOrder = (a: UnitSnapshot, b: UnitSnapshot) =>
  (a.type === b.type ? 0 : a.type === 'socket' ? -1 : 1) || a.name.localeCompare(b.name);

/** Builds the boxes, rows and summary; `labUnits` limits the picture to the lab's own unit names. */
export function buildDiagram(state: DiagramState, labUnits: ReadonlySet<string>): DiagramModel {
  const units = [...state.units.values()].filter(
    (unit) => (unit.type === 'socket' || unit.type === 'service' || unit.type === 'path') && isLabUnit(unit.name, labUnits),
  );
  for (const name of labUnits) {
    if (!name.includes('@') && !state.units.has(name) && typeOf(name)) units.push(notLoaded(name));
  }
  const box = (unit: UnitSnapshot): DiagramBox => ({
    name: unit.name,
    kind: unit.type === 'socket' || unit.type === 'path' ? unit.type : 'service',
    activeState: unit.activeState,
    subState: unit.subState,
    stateText: stateText(unit),
    listen: (unit.listen ?? []).map((listen) => listen.address),
    pending: state.pending.get(unit.name) ?? (unit.listen ?? []).reduce((sum, listen) => sum + listen.pending, 0),
    fds: (unit.fds ?? []).map(({ fd, socket }) => ({ fd, socket })),
  });
  const byName = new Map(units.map((unit) => [unit.name, unit]));
  // Every trigger relation between lab units, from either side's view (socket.triggers, service.triggeredBy).
  const links: Array<{ from: string; to: string }> = [];
  const addLink = (from: string, to: string) => {
    const source = byName.get(from);
    const target = byName.get(to);
    if (!source || !target || source.type === 'service' || target.type !== 'service') return;
    if (!links.some((link) => link.from === from && link.to === to)) links.push({ from, to });
  };
  for (const unit of units) {
    for (const name of unit.triggers) addLink(unit.name, name);
    for (const name of unit.triggeredBy) addLink(name, unit.name);
  }
  // Rows: units joined by trigger arrows (greeter.socket and greeter-admin.socket both start greeter.service).
  const group = new Map<string, string>(units.map((unit) => [unit.name, unit.name]));
  const find = (name: string): string => {
    const parent = group.get(name) ?? name;
    return parent === name ? name : find(parent);
  };
  for (const link of links) group.set(find(link.from), find(link.to));
  const rows: DiagramRow[] = [];
  const members = new Map<string, UnitSnapshot[]>();
  for (const unit of units) members.set(find(unit.name), [...(members.get(find(unit.name)) ?? []), unit]);
  for (const list of members.values()) {
    const sources = list.filter((unit) => unit.type !== 'service').sort(sourceOrder);
    const services = list.filter((unit) => unit.type === 'service').sort((a, b) => a.name.localeCompare(b.name));
    const row: DiagramRow = {
      sources: sources.map(box),
      services: services.map(box),
      links: links.filter((link) => list.some((unit) => unit.name === link.from)),
    };
    const socket = row.sources.find((source) => source.kind === 'socket');
    if (socket) row.socket = socket;
    rows.push(row);
  }
  const key = (row: DiagramRow) => [(row.sources[0] ?? row.services[0])?.kind === 'service' ? 1 : 0, (row.sources[0] ?? row.services[0])?.name ?? ''] as const;
  rows.sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1].localeCompare(key(b)[1]));
  return { rows, summary: describeDiagram(rows) };
}

/** One sentence per unit: "myapp.socket: active (listening), 1 connection waiting." */
export function describeDiagram(rows: readonly DiagramRow[]): string {
  if (rows.length === 0) return 'No socket or service of this lab is loaded yet.';
  const parts: string[] = [];
  for (const row of rows) {
    for (const source of row.sources) {
      const waiting = source.pending;
      const backlog = waiting > 0 ? `, ${waiting} connection${waiting === 1 ? '' : 's'} waiting` : '';
      const targets = row.links.filter((link) => link.from === source.name).map((link) => link.to);
      const triggers = targets.length > 0 ? `, triggers ${targets.join(', ')}` : '';
      parts.push(`${source.name}: ${source.stateText}${backlog}${triggers}.`);
    }
    for (const service of row.services) {
      const fds = service.fds.map((fd) => `fd ${fd.fd} from ${fd.socket}`).join(', ');
      const handed = fds && service.activeState !== 'inactive' ? `, got ${fds}` : '';
      parts.push(`${service.name}: ${service.stateText}${handed}.`);
    }
  }
  return parts.join(' ');
}

import { describe, expect, it } from 'vitest';
import type { SystemSnapshot, UnitSnapshot } from '../../src/emulator/system-events.ts';
import { applyDiagramEvent, buildDiagram, diagramStateFrom } from '../../src/lab/island/diagram-model.ts';
import { diagramMarkup } from '../../src/lab/island/diagram-panel.ts';

function unitSnapshot(overrides: Partial<UnitSnapshot> & Pick<UnitSnapshot, 'name' | 'type'>): UnitSnapshot {
  return {
    description: overrides.name,
    loadState: 'loaded',
    activeState: 'inactive',
    subState: 'dead',
    result: 'success',
    unitFileState: 'disabled',
    triggers: [],
    triggeredBy: [],
    stateChangeTimestamp: 0,
    ...overrides,
  };
}

const socket = unitSnapshot({
  name: 'myapp.socket',
  type: 'socket',
  activeState: 'active',
  subState: 'listening',
  triggers: ['myapp.service'],
  listen: [{ address: '[::]:8080', kind: 'Stream', pending: 0 }],
});
const service = unitSnapshot({ name: 'myapp.service', type: 'service', triggeredBy: ['myapp.socket'] });
const snapshot: SystemSnapshot = {
  time: 0,
  units: [socket, service, unitSnapshot({ name: 'sockets.target', type: 'target' }), unitSnapshot({ name: 'other.service', type: 'service' })],
  journal: [],
};
const labUnits = new Set(['myapp.socket', 'myapp.service']);

describe('live diagram model', () => {
  it('pairs a socket with the service it triggers and leaves out units that are not the lab', () => {
    const model = buildDiagram(diagramStateFrom(snapshot), labUnits);
    expect(model.rows).toHaveLength(1);
    expect(model.rows[0].socket?.name).toBe('myapp.socket');
    expect(model.rows[0].services.map((box) => box.name)).toEqual(['myapp.service']);
    expect(model.summary).toBe(
      'myapp.socket: active (listening), triggers myapp.service. myapp.service: inactive (dead).',
    );
  });

  it('counts waiting connections from connection events and shows the service turning active with fd 3', () => {
    const state = diagramStateFrom(snapshot);
    applyDiagramEvent(state, { type: 'connection', socket: 'myapp.socket', action: 'queued', pending: 1 });
    expect(buildDiagram(state, labUnits).summary).toContain('myapp.socket: active (listening), 1 connection waiting');
    applyDiagramEvent(state, {
      type: 'unit',
      unit: { ...service, activeState: 'active', subState: 'running', fds: [{ fd: 3, name: 'myapp.socket', socket: 'myapp.socket' }] },
    });
    applyDiagramEvent(state, { type: 'connection', socket: 'myapp.socket', action: 'accepted', pending: 0 });
    const model = buildDiagram(state, labUnits);
    expect(model.summary).toContain('myapp.service: active (running), got fd 3 from myapp.socket.');
    const markup = diagramMarkup(model);
    expect(markup).toContain('data-unit="myapp.service" data-state="active"');
    expect(markup).toContain('fd 3 ← myapp.socket');
    expect(markup).toContain('triggers · fd 3');
    const narrow = diagramMarkup(model, true);
    expect(narrow).toContain('viewBox="0 0 300 ');
    expect(narrow).toContain('data-unit="myapp.service" data-state="active"');
    expect(narrow).toContain('triggers · fd 3');
  });

  it('shows Accept=yes instances under their socket', () => {
    const instance = unitSnapshot({ name: 'echo@0-127.0.0.1:7-127.0.0.1:5000.service', type: 'service', activeState: 'active', subState: 'running', triggeredBy: ['echo.socket'] });
    const echo = unitSnapshot({ name: 'echo.socket', type: 'socket', activeState: 'active', subState: 'listening' });
    const model = buildDiagram(diagramStateFrom({ time: 0, units: [echo, instance], journal: [] }), new Set(['echo.socket', 'echo@.service']));
    expect(model.rows[0].services.map((box) => box.name)).toEqual([instance.name]);
  });

  it('shows lab units the manager has not loaded, paired by name', () => {
    const model = buildDiagram(diagramStateFrom({ time: 0, units: [], journal: [] }), labUnits);
    expect(model.summary).toBe('myapp.socket: not loaded, triggers myapp.service. myapp.service: not loaded.');
    expect(buildDiagram(diagramStateFrom({ time: 0, units: [], journal: [] }), new Set()).summary).toBe(
      'No socket or service of this lab is loaded yet.',
    );
  });
});

describe('live diagram: every unit and fd of a lab', () => {
  it('two sockets that start one service each get their arrow, and both fds show whole', () => {
    const greeter = unitSnapshot({ name: 'greeter.socket', type: 'socket', activeState: 'active', subState: 'running', triggers: ['greeter.service'], listen: [{ address: '127.0.0.1:7000', kind: 'Stream', pending: 0 }] });
    const admin = unitSnapshot({ name: 'greeter-admin.socket', type: 'socket', activeState: 'active', subState: 'running', triggers: ['greeter.service'], listen: [{ address: '/run/greeter-admin.sock', kind: 'Stream', pending: 0 }] });
    const service = unitSnapshot({
      name: 'greeter.service',
      type: 'service',
      activeState: 'active',
      subState: 'running',
      triggeredBy: ['greeter-admin.socket', 'greeter.socket'],
      fds: [{ fd: 3, name: 'greeter.socket', socket: 'greeter.socket' }, { fd: 4, name: 'admin', socket: 'greeter-admin.socket' }],
    });
    const model = buildDiagram(diagramStateFrom({ time: 0, units: [greeter, admin, service], journal: [] }), new Set(['greeter.socket', 'greeter-admin.socket', 'greeter.service']));
    expect(model.rows).toHaveLength(1);
    expect(model.rows[0].sources.map((box) => box.name)).toEqual(['greeter-admin.socket', 'greeter.socket']);
    expect(model.rows[0].links).toEqual(expect.arrayContaining([{ from: 'greeter.socket', to: 'greeter.service' }, { from: 'greeter-admin.socket', to: 'greeter.service' }]));
    expect(model.summary).toContain('greeter.socket: active (running), triggers greeter.service.');
    for (const narrow of [false, true]) {
      const markup = diagramMarkup(model, narrow);
      expect(markup).toContain('fd 3 ← greeter.socket');
      expect(markup).toContain('fd 4 ← greeter-admin.socket');
      expect(markup).toContain('triggers · fd 3');
      expect(markup).toContain('triggers · fd 4');
    }
    expect(diagramMarkup(model).match(/class="lab-arrow" data-from/g)).toHaveLength(2);
  });

  it('an Accept=yes instance name is drawn whole, over more lines', () => {
    const name = 'echo@0-127.0.0.1:7777-127.0.0.1:45678.service';
    const instance = unitSnapshot({ name, type: 'service', activeState: 'active', subState: 'running', triggeredBy: ['echo.socket'] });
    const echo = unitSnapshot({ name: 'echo.socket', type: 'socket', activeState: 'active', subState: 'listening' });
    const model = buildDiagram(diagramStateFrom({ time: 0, units: [echo, instance], journal: [] }), new Set(['echo.socket', 'echo@.service']));
    for (const narrow of [false, true]) {
      const lines = [...diagramMarkup(model, narrow).matchAll(/<text class="lab-name"[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
      expect(lines.join('')).toContain(name);
      // A line fits its box: at most 24 characters of 15 px bold monospace in a wide box, 28 in a narrow one.
      expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(narrow ? 28 : 24);
      expect(lines.length).toBeGreaterThan(1);
    }
  });

  it('a path unit is drawn with the service it starts', () => {
    const path = unitSnapshot({ name: 'cups.path', type: 'path', activeState: 'active', subState: 'waiting', triggers: ['cups.service'] });
    const model = buildDiagram(diagramStateFrom({ time: 0, units: [path], journal: [] }), new Set(['cups.path', 'cups.socket', 'cups.service']));
    expect(model.rows).toHaveLength(1);
    expect(model.rows[0].sources.map((box) => box.name)).toEqual(['cups.socket', 'cups.path']);
    expect(model.summary).toContain('cups.path: active (waiting), triggers cups.service.');
    expect(diagramMarkup(model)).toContain('data-unit="cups.path"');
  });
});

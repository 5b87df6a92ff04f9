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

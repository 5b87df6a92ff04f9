/**
 * Lesson 1's boot race (src/components/boot-chart/boot-simulation.ts): the same services booted in
 * virtual time with and without socket activation, on the emulator's memory kernel.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_SERVICES, demoUnitFiles, runBootRace, type DemoService } from '../../src/components/boot-chart/boot-simulation.ts';

const CHAIN: DemoService[] = [
  { name: 'db', port: 5432, initMs: 1000, needs: [] },
  { name: 'app', port: 8080, initMs: 300, needs: ['db'] },
  { name: 'report', port: 9000, initMs: 200, needs: ['db'], onDemand: true },
];

describe('boot race', () => {
  it('classic boot: a service opens its port only after what it needs is ready (After= chain)', async () => {
    const race = await runBootRace(CHAIN);
    const [db, app] = race.classic;
    expect(db.acceptsAt).toBe(1000);
    expect(app.acceptsAt).toBe(db.answersAt! + 300);
    expect(race.classic.every((t) => t.answersAt === t.acceptsAt)).toBe(true);
  });

  it('socket-activated boot: every port accepts at once, services start in parallel, on-demand ones not at all', async () => {
    const race = await runBootRace(CHAIN);
    const [db, app, report] = race.socketActivated;
    expect(race.socketActivated.map((t) => t.acceptsAt)).toEqual([0, 0, 0]);
    expect(db.answersAt).toBe(1000);
    // app initialises while its connection to db waits in db.socket's backlog: ready when db answers.
    expect(app.answersAt).toBe(1000);
    expect(report.answersAt).toBeUndefined();
    expect(race.lastReady.socketActivated).toBeLessThan(race.lastReady.classic);
  });

  it('the demo set has 50+ units when socket-activated and every service finishes both boots', async () => {
    const race = await runBootRace();
    expect(race.unitCount.socketActivated).toBeGreaterThanOrEqual(50);
    expect(race.classic).toHaveLength(DEMO_SERVICES.length);
    expect(race.classic.every((t) => t.answersAt !== undefined)).toBe(true);
    const onDemand = DEMO_SERVICES.filter((s) => s.onDemand).map((s) => s.name);
    expect(race.socketActivated.filter((t) => t.answersAt === undefined).map((t) => t.name)).toEqual(onDemand);
  });

  it('the classic units order by After=/Requires=, the socket-activated ones do not', () => {
    const classic = demoUnitFiles(CHAIN, false);
    const activated = demoUnitFiles(CHAIN, true);
    expect(classic['/etc/systemd/system/app.service']).toContain('After=db.service');
    expect(activated['/etc/systemd/system/app.service']).not.toContain('After=');
    expect(activated['/etc/systemd/system/db.socket']).toContain('ListenStream=127.0.0.1:5432');
  });
});

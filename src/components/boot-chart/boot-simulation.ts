/**
 * The boot race of lesson 1, run on the emulator: the same set of services booted twice on the in-memory
 * kernel in VIRTUAL time, once the classic way (each service binds its own port; After=/Requires= order the
 * boot) and once socket-activated (PID 1 binds every port first; services start in parallel, rarely used
 * ones not at all). It returns, per service, when its port first accepted a connection and when the service
 * could first answer one, read from the journal's timestamps. Runs at build time (BootChart.astro) and in
 * tests; no DOM, no Node-only import.
 */
import { createMemoryKernel } from '../../emulator/kernel/memory/memory-kernel.ts';
import type { MemoryKernel } from '../../emulator/kernel/memory/memory-kernel.ts';
import type { VirtualClock } from '../../emulator/kernel/memory/virtual-clock.ts';
import { createSystem } from '../../emulator/system.ts';

/** One made-up service of the demo machine. */
export interface DemoService {
  name: string;
  port: number;
  /** Virtual ms the program spends initialising before it can serve. */
  initMs: number;
  /** Services it connects to while initialising (it waits for their first reply). */
  needs: string[];
  /** Rarely used: with socket activation it is not started at boot, only by its first client. */
  onDemand?: boolean;
}

/** When one service became reachable in one boot. */
export interface ServiceTiming {
  name: string;
  /** Virtual ms after boot when a client's connect() first succeeded (the port was listening). */
  acceptsAt: number;
  /** Virtual ms after boot when the service was ready to answer ("Started …"); undefined = not started. */
  answersAt?: number;
}

/** Both boots of the same services. */
export interface BootRace {
  services: DemoService[];
  /** How many unit files each boot loaded from /etc/systemd/system. */
  unitCount: { classic: number; socketActivated: number };
  classic: ServiceTiming[];
  socketActivated: ServiceTiming[];
  /** Virtual ms until the last service of each boot was ready. */
  lastReady: { classic: number; socketActivated: number };
}

/**
 * 26 services of an imaginary application server (26 service units, plus 26 socket units when
 * socket-activated: 52 units). Init times are invented but of a realistic order.
 */
export const DEMO_SERVICES: DemoService[] = [
  { name: 'postgres', port: 5432, initMs: 1400, needs: [] },
  { name: 'redis', port: 6379, initMs: 300, needs: [] },
  { name: 'rabbitmq', port: 5672, initMs: 1800, needs: [] },
  { name: 'elasticsearch', port: 9200, initMs: 2600, needs: [] },
  { name: 'vault', port: 8200, initMs: 700, needs: [] },
  { name: 'auth', port: 9001, initMs: 500, needs: ['postgres', 'vault'] },
  { name: 'users', port: 9002, initMs: 400, needs: ['postgres', 'auth'] },
  { name: 'catalog', port: 9003, initMs: 600, needs: ['postgres', 'redis'] },
  { name: 'search', port: 9004, initMs: 500, needs: ['elasticsearch', 'catalog'] },
  { name: 'cart', port: 9005, initMs: 300, needs: ['redis', 'catalog'] },
  { name: 'orders', port: 9006, initMs: 500, needs: ['postgres', 'rabbitmq', 'cart'] },
  { name: 'payments', port: 9007, initMs: 800, needs: ['vault', 'orders'] },
  { name: 'invoices', port: 9008, initMs: 400, needs: ['payments'] },
  { name: 'shipping', port: 9009, initMs: 400, needs: ['orders', 'rabbitmq'] },
  { name: 'notifications', port: 9010, initMs: 300, needs: ['rabbitmq', 'users'] },
  { name: 'mailer', port: 9011, initMs: 200, needs: ['notifications'] },
  { name: 'api', port: 8080, initMs: 600, needs: ['auth', 'users', 'catalog', 'search', 'cart', 'orders'] },
  { name: 'web', port: 80, initMs: 300, needs: ['api'] },
  { name: 'admin', port: 8081, initMs: 700, needs: ['api', 'users'], onDemand: true },
  { name: 'reports', port: 9012, initMs: 900, needs: ['postgres', 'invoices'], onDemand: true },
  { name: 'exports', port: 9013, initMs: 600, needs: ['postgres'], onDemand: true },
  { name: 'backup', port: 9014, initMs: 500, needs: ['postgres'], onDemand: true },
  { name: 'metrics', port: 9100, initMs: 200, needs: [] },
  { name: 'logs', port: 5140, initMs: 300, needs: ['elasticsearch'] },
  { name: 'ftp', port: 21, initMs: 200, needs: [], onDemand: true },
  { name: 'status', port: 8082, initMs: 200, needs: ['api', 'metrics'], onDemand: true },
];

/**
 * The one program every demo service runs: connect to each needed service and wait for its first reply,
 * initialise for INIT ms meanwhile, then serve (on fd 3 when socket-activated, else on its own port) and
 * tell systemd READY=1.
 */
const DEMO_PROGRAM = `#!/usr/bin/env node
const net = require('net');
const sd = require('sd-daemon');
const [name, port, initMs, needs] = process.argv.slice(2);
let waiting = 1;
const done = () => {
  if (--waiting > 0) return;
  const server = net.createServer((client) => client.end(name + ' ready\\n'));
  const address = process.env.LISTEN_FDS ? { fd: 3 } : { port: Number(port), host: '127.0.0.1' };
  server.listen(address, () => sd.notify('READY=1'));
};
for (const target of needs ? needs.split(',') : []) {
  waiting++;
  net.connect(Number(target), '127.0.0.1').once('data', done);
}
setTimeout(done, Number(initMs));
`;

const PROGRAM_PATH = '/opt/demo/demo-service';
const UNIT_DIR = '/etc/systemd/system';

/** Unit files of one boot: classic (ordering by After=) or socket-activated. */
export function demoUnitFiles(services: DemoService[], socketActivated: boolean): Record<string, string> {
  const byName = new Map(services.map((service) => [service.name, service]));
  const files: Record<string, string> = { [PROGRAM_PATH]: DEMO_PROGRAM };
  for (const service of services) {
    const ports = service.needs.map((need) => byName.get(need)!.port).join(',');
    const unitLines = [`[Unit]`, `Description=Demo ${service.name}`];
    // Classic boot: a service may only start once everything it connects to is up.
    if (!socketActivated && service.needs.length > 0) {
      const deps = service.needs.map((need) => `${need}.service`).join(' ');
      unitLines.push(`Requires=${deps}`, `After=${deps}`);
    }
    files[`${UNIT_DIR}/${service.name}.service`] = [
      ...unitLines,
      '',
      '[Service]',
      'Type=notify',
      `ExecStart=${PROGRAM_PATH} ${service.name} ${service.port} ${service.initMs} ${ports}`,
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n');
    if (socketActivated) {
      files[`${UNIT_DIR}/${service.name}.socket`] = [
        '[Unit]',
        `Description=Demo ${service.name} socket`,
        '',
        '[Socket]',
        `ListenStream=127.0.0.1:${service.port}`,
        '',
        '[Install]',
        'WantedBy=sockets.target',
        '',
      ].join('\n');
      files[`${UNIT_DIR}/sockets.target.wants/${service.name}.socket`] = '';
    }
    if (!socketActivated || !service.onDemand) files[`${UNIT_DIR}/multi-user.target.wants/${service.name}.service`] = '';
  }
  return files;
}

/** Advances virtual time until `work` settled and no timer is left (programs run between the steps). */
async function runInVirtualTime(kernel: MemoryKernel, work: Promise<unknown>): Promise<void> {
  let settled = false;
  void work.finally(() => {
    settled = true;
  });
  const clock = kernel.clock as VirtualClock;
  for (let round = 0; round < 10_000; round++) {
    await kernel.runUntilIdle(60_000);
    // A macrotask hop lets every promise chain (jobs, READY=1, starts) run before we look again.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (settled && clock.pendingTimers() === 0) return;
  }
  throw new Error('boot-simulation: the demo boot did not settle after 10,000 rounds; a demo service never became ready.');
}

/** Boots one variant and reads each service's times from the journal. */
async function bootOnce(services: DemoService[], socketActivated: boolean): Promise<{ timings: ServiceTiming[]; units: number }> {
  const files = demoUnitFiles(services, socketActivated);
  const kernel = createMemoryKernel({ files, clock: 'virtual', hostname: 'demo' });
  const system = createSystem({ kernel });
  const start = kernel.clock.now();
  await runInVirtualTime(kernel, system.boot());
  const journal = system.snapshot().journal;
  const firstTime = (unit: string, message: string): number | undefined => {
    const entry = journal.find((candidate) => candidate.unit === unit && candidate.message === message);
    return entry === undefined ? undefined : entry.timestamp - start;
  };
  const timings = services.map((service): ServiceTiming => {
    const answersAt = firstTime(`${service.name}.service`, `Started ${service.name}.service - Demo ${service.name}.`);
    const listeningAt = socketActivated ? firstTime(`${service.name}.socket`, `Listening on ${service.name}.socket - Demo ${service.name} socket.`) : answersAt;
    if (listeningAt === undefined) {
      throw new Error(`boot-simulation: ${service.name} never listened; the journal of the ${socketActivated ? 'socket-activated' : 'classic'} boot has no line for it.`);
    }
    return { name: service.name, acceptsAt: listeningAt, answersAt };
  });
  await runInVirtualTime(kernel, system.shutdown());
  const units = Object.keys(files).filter((path) => /^\/etc\/systemd\/system\/[^/]+\.(service|socket)$/.test(path)).length;
  return { timings, units };
}

/** Runs both boots of `services` (default: DEMO_SERVICES) in virtual time. */
export async function runBootRace(services: DemoService[] = DEMO_SERVICES): Promise<BootRace> {
  const classic = await bootOnce(services, false);
  const socketActivated = await bootOnce(services, true);
  const lastReady = (timings: ServiceTiming[]): number => Math.max(...timings.map((t) => t.answersAt ?? 0));
  return {
    services,
    unitCount: { classic: classic.units, socketActivated: socketActivated.units },
    classic: classic.timings,
    socketActivated: socketActivated.timings,
    lastReady: { classic: lastReady(classic.timings), socketActivated: lastReady(socketActivated.timings) },
  };
}

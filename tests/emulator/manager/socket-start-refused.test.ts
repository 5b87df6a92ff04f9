/**
 * socket_start() of systemd 252: a socket whose service already runs is not started ("Socket service
 * X already active, refusing."), the job fails and the socket stays inactive. Real systemd 252 printed
 * exactly these two journal lines for db.socket next to a running db.service (golden file
 * lesson-the-problem-1) and for ssh.socket next to Debian's ssh.service (lesson-sshd-1).
 */
import { afterEach, expect, it } from 'vitest';
import { createLabMachine, type LabMachine } from '../../../src/lab/runtime/in-page/lab-machine.ts';
import { runToEnd } from '../../../src/lab/definition/goal-checks.ts';

const machines: LabMachine[] = [];
afterEach(async () => {
  await Promise.all(machines.splice(0).map((machine) => machine.dispose()));
});

it('a socket is refused while its service is active, and starts once the service stopped', async () => {
  const machine = await createLabMachine({
    '/etc/systemd/system/db.socket': '[Unit]\nDescription=Shop database socket\n\n[Socket]\nListenStream=127.0.0.1:5432\n',
    '/etc/systemd/system/db.service': '[Unit]\nDescription=Shop database\n\n[Service]\nExecStart=/opt/db\n',
    '/opt/db': '#!/usr/bin/env node\nrequire("net").createServer(() => {}).listen(5432, "127.0.0.1");\n',
  }, { hostname: 'shop' });
  machines.push(machine);
  const run = (line: string) => runToEnd({ run: (l, out) => machine.run(l, out) }, line);
  await run('systemctl start db.service');
  const refused = await run('systemctl start db.socket');
  expect(refused.exitCode).toBe(1);
  const journal = (await run('journalctl -u db.socket -o cat')).stdout.split('\n');
  expect(journal[0]).toBe('db.socket: Socket service db.service already active, refusing.');
  expect(journal[1]).toMatch(/^Failed to listen on (db\.socket - )?Shop database socket\.$/);
  expect((await run('systemctl is-active db.socket')).stdout).toBe('inactive\n');
  await run('systemctl stop db.service');
  expect((await run('systemctl start db.socket')).exitCode).toBe(0);
  expect((await run('systemctl is-active db.socket')).stdout).toBe('active\n');
});

it('a port held by another process: the four journal lines systemd 252 logs (checked in nspawn with busy.socket)', async () => {
  const machine = await createLabMachine({
    '/etc/systemd/system/busy.socket': '[Unit]\nDescription=Busy port socket\n\n[Socket]\nListenStream=127.0.0.1:9999\n',
    '/etc/systemd/system/busy.service': '[Service]\nExecStart=/opt/x\n',
    '/etc/systemd/system/holder.service': '[Service]\nExecStart=/opt/holder\n',
    '/opt/holder': '#!/usr/bin/env node\nrequire("net").createServer(() => {}).listen(9999, "127.0.0.1");\n',
  }, { hostname: 'lab' });
  machines.push(machine);
  const run = (line: string) => runToEnd({ run: (l, out) => machine.run(l, out) }, line);
  await run('systemctl start holder.service');
  await run('sleep 0.2');
  expect((await run('systemctl start busy.socket')).exitCode).toBe(1);
  const journal = (await run('journalctl -u busy.socket -o cat')).stdout.trimEnd().split('\n');
  expect(journal.slice(0, 3)).toEqual([
    'busy.socket: Failed to create listening socket (127.0.0.1:9999): Address already in use',
    'busy.socket: Failed to listen on sockets: Address already in use',
    "busy.socket: Failed with result 'resources'.",
  ]);
  expect(journal[3]).toMatch(/^Failed to listen on (busy\.socket - )?Busy port socket\.$/);
});

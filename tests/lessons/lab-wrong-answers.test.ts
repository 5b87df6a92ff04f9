/**
 * Lab goals check the live machine: an answer that writes the right text but leaves the machine doing
 * the wrong thing fails its goal, and a right answer written another way (a drop-in, `ExecStart = …`,
 * `/usr/bin/node /opt/myapp/myapp`) passes. Each case is a learner's way through a lab that a review
 * of the labs found passing without the skill, or failing although it was right. Each case runs on both
 * kernels (lab-machines.ts), so a goal that checks the live machine on one and a file's text on the other fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { disposeLabMachines, learner as learnerOn, type Kernel } from './lab-machines.ts';

afterEach(disposeLabMachines);

describe.each(['memory', 'node'] as const)('on the %s kernel', (kernel: Kernel) => {
  const learner = (id: string, files: Record<string, string>, steps: string[]) => learnerOn(kernel, id, files, steps);

  describe('myapp', () => {
    it('accepts ExecStart=/usr/bin/node /opt/myapp/myapp, and ExecStart = … with spaces in a drop-in', async () => {
      const viaNode = await learner('myapp', {
        '/etc/systemd/system/myapp.socket': 'SOLUTION',
        '/etc/systemd/system/myapp.service': '[Unit]\nDescription=myapp HTTP server\n\n[Service]\nExecStart=/usr/bin/node /opt/myapp/myapp\n',
      }, ['systemctl daemon-reload', 'systemctl enable --now myapp.socket', 'curl -s http://localhost:8080/']);
      expect(await viaNode.goal('service-runs-myapp'), viaNode.transcript()).toEqual({ id: 'service-runs-myapp', passed: true });
      expect((await viaNode.goal('reply')).passed).toBe(true);

      const dropIn = await learner('myapp', {
        '/etc/systemd/system/myapp.socket': 'SOLUTION',
        '/etc/systemd/system/myapp.service.d/exec.conf': '[Service]\nExecStart = /opt/myapp/myapp\n',
      }, ['systemctl daemon-reload', 'systemctl enable --now myapp.socket']);
      expect(await dropIn.goal('service-runs-myapp'), dropIn.transcript()).toEqual({ id: 'service-runs-myapp', passed: true });
    }, 30_000);

    it('a port changed in the file and daemon-reloaded, but not restarted, fails "listens on 8080"', async () => {
      const moved = await learner('myapp', {
        '/etc/systemd/system/myapp.socket': '[Socket]\nListenStream=8081\n\n[Install]\nWantedBy=sockets.target\n',
        '/etc/systemd/system/myapp.service': 'SOLUTION',
      }, ['systemctl daemon-reload', 'systemctl enable --now myapp.socket']);
      await moved.run(`echo -e '[Socket]\nListenStream=8080\n\n[Install]\nWantedBy=sockets.target' > /etc/systemd/system/myapp.socket`);
      await moved.run('systemctl daemon-reload');
      const result = await moved.goal('socket-listens');
      expect(result.passed, moved.transcript()).toBe(false);
      expect(result.detail).toMatch(/but systemd listens on .*ss -ltnp/);
      await moved.run('systemctl restart myapp.socket');
      expect((await moved.goal('socket-listens')).passed, moved.transcript()).toBe(true);
    }, 30_000);
  });

  describe('listen-fds', () => {
    it('greeter binding 8080 itself with greeter.socket stopped fails "uses the passed socket"', async () => {
      const own = await learner('listen-fds', {}, ['systemctl stop greeter.socket', 'systemctl start greeter.service', 'sleep 0.3']);
      // The program answers, so a check that only curls would pass.
      expect((await own.run('curl -s --max-time 2 http://127.0.0.1:8080/')).stdout).toContain('Hello from greeter');
      const result = await own.goal('uses-passed-socket');
      expect(result.passed, own.transcript()).toBe(false);
      expect(result.detail).toContain('greeter.socket is inactive');
    }, 30_000);
  });

  describe('echo-per-connection', () => {
    it('one connection of the learner after a Check that connected is not "twice more"', async () => {
      const once = await learner('echo-per-connection', {
        '/etc/systemd/system/echo.socket': 'SOLUTION',
        '/etc/systemd/system/echo@.service': 'SOLUTION',
      }, ['systemctl daemon-reload', 'systemctl restart echo.socket']);
      expect((await once.goal('talks-over-stdio')).passed).toBe(true); // this Check connected once
      await once.run('echo one | nc -N 127.0.0.1 7777');
      const result = await once.goal('instance-per-connection');
      expect(result.passed, once.transcript()).toBe(false);
      expect(result.detail).toMatch(/^1 connection/);
      await once.run('echo two | nc -N 127.0.0.1 7777');
      expect((await once.goal('instance-per-connection')).passed).toBe(true);
    }, 30_000);
  });

  describe('sshd', () => {
    it('sshd@.service without StandardInput=socket fails the classic pair: the client gets no banner', async () => {
      const noStdin = await learner('sshd', {
        '/etc/systemd/system/sshd.socket': 'SOLUTION',
        '/etc/systemd/system/sshd@.service': '[Unit]\nDescription=OpenSSH per-connection server daemon\n\n[Service]\nExecStart=-/usr/sbin/sshd -i\n',
      }, ['systemctl daemon-reload', 'systemctl enable --now sshd.socket']);
      const result = await noStdin.goal('classic-pair');
      expect(result.passed, noStdin.transcript()).toBe(false);
      expect(result.detail).toContain('no SSH banner');
    }, 30_000);
  });

  // dbus.service runs from boot, as on Debian 12: each learner stops it before starting dbus.socket.
  describe('dbus-bus', () => {
    it('--address=unix:path= leaves dbus.socket on an orphaned inode: "daemon takes the socket" fails and says why', async () => {
      const own = await learner('dbus-bus', { '/etc/systemd/system/dbus.socket': 'SOLUTION' }, [
        'systemctl daemon-reload', 'systemctl stop dbus.service', 'systemctl start dbus.socket', 'systemctl start dbus.service', 'sleep 0.5',
      ]);
      const result = await own.goal('daemon-takes-socket');
      expect(result.passed, own.transcript()).toBe(false);
      expect(result.detail).toContain('unlinked /run/dbus/system_bus_socket and bound its own socket there');
    }, 30_000);

    it('a client that connects after dbus-daemon runs does not pass "connected before the daemon ran"', async () => {
      const late = await learner('dbus-bus', { '/etc/systemd/system/dbus.socket': 'SOLUTION', '/etc/systemd/system/dbus.service': 'SOLUTION' }, [
        'systemctl daemon-reload', 'systemctl stop dbus.service', 'systemctl start dbus.socket dbus.service', 'sleep 0.5',
        'echo "AUTH EXTERNAL 30" | nc -N -U /run/dbus/system_bus_socket',
      ]);
      const result = await late.goal('client-answered');
      expect(result.passed, late.transcript()).toBe(false);
      expect(result.detail).toContain('while dbus.service was stopped');
    }, 30_000);

    it('ExecStart = … with spaces, in a drop-in, is accepted', async () => {
      const spaced = await learner('dbus-bus', {
        '/etc/systemd/system/dbus.socket': 'SOLUTION',
        '/etc/systemd/system/dbus.service.d/override.conf': '[Service]\nType = notify\nExecStart =\nExecStart = /usr/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only\n',
      }, ['systemctl daemon-reload', 'systemctl stop dbus.service', 'systemctl start dbus.socket', 'echo "AUTH EXTERNAL 30" | nc -N -U /run/dbus/system_bus_socket']);
      expect(await spaced.goal('daemon-takes-socket'), spaced.transcript()).toEqual({ id: 'daemon-takes-socket', passed: true });
      expect((await spaced.goal('client-answered')).passed).toBe(true);
    }, 30_000);
  });

  describe('docker-socket', () => {
    it('starts as Debian leaves it: docker.service enabled, and dockerd has replaced /run/docker.sock', async () => {
      const start = await learner('docker-socket', {}, []);
      expect((await start.goal('on-demand-only')).detail).toBe('docker.service is enabled; it should be disabled.');
      expect((await start.run('stat -c "%a %U %G" /run/docker.sock')).stdout).toBe('660 root docker\n');
      const result = await start.goal('socket-permissions');
      expect(result.passed).toBe(false);
      // The hint names the holder as ss -xlp does: the lab's dockerd is a `#!/usr/bin/env node` script, whose comm is node.
      expect(result.detail).toMatch(/^node \(PID \d+\) unlinked \/run\/docker\.sock and bound its own socket there/);
    }, 30_000);

    it('the right docker.socket text without a restart leaves srw-rw-rw- root root: "permissions" fails', async () => {
      const unreloaded = await learner('docker-socket', {
        '/etc/systemd/system/docker.socket': 'SOLUTION',
        '/etc/systemd/system/docker.service': 'SOLUTION',
      }, ['systemctl stop docker.service docker.socket', 'systemctl start docker.socket']);
      expect((await unreloaded.run('stat -c "%A %U %G" /run/docker.sock')).stdout).toBe('srw-rw-rw- root root\n');
      const result = await unreloaded.goal('socket-permissions');
      expect(result.passed, unreloaded.transcript()).toBe(false);
      expect(result.detail).toBe('/run/docker.sock has mode 0666; owner and group may read and write, others nothing: 0660.');
    }, 30_000);
  });

  describe('app-db', () => {
    it('a PONG logged before the edit, and Requires= deleted from the file without daemon-reload, fail "no ordering"', async () => {
      const stale = await learner('app-db', {}, [
        'systemctl start db.socket app.socket', 'curl -s http://localhost:8080/',
        `echo -e '[Unit]\nDescription=Web app\nRequires=app.socket\n\n[Service]\nExecStart=/opt/app/app' > /etc/systemd/system/app.service`,
      ]);
      expect((await stale.run('journalctl -u app.service')).stdout).toContain('the database answered PONG');
      const result = await stale.goal('no-ordering');
      expect(result.passed, stale.transcript()).toBe(false);
      expect(result.detail).toBe('systemd still has Requires=db.service and After=db.service for app.service (daemon-reload after saving).');
      await stale.run('systemctl daemon-reload');
      expect((await stale.goal('no-ordering')).passed, stale.transcript()).toBe(true);
    }, 30_000);

    it('six manual restarts hit the start limit but are not the socket-triggered loop', async () => {
      const manual = await learner('app-db', {}, Array.from({ length: 6 }, () => 'systemctl restart report.service'));
      expect((await manual.run('journalctl -u report.service')).stdout).toContain('Start request repeated too quickly');
      const result = await manual.goal('start-limit-seen');
      expect(result.passed).toBe(false);
      expect(result.detail).toContain('not from report.socket');
    }, 30_000);
  });
});

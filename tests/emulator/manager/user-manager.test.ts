/**
 * User managers on the memory kernel, against what systemd 252 did in tests/oracle/golden/lesson-user-units-*.json:
 * lingering starts user@1000.service, `systemctl --user -M student@` reaches its manager, which binds as student
 * (/run and port 80 are refused, %t and 8080 work), `enable` links under ~/.config, and disable-linger takes the
 * manager and /run/user/1000 away.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadLab } from '../../../src/lab/definition/lab-catalog.ts';
import { createLabMachine, type LabMachine } from '../../../src/lab/runtime/in-page/lab-machine.ts';
import { runToEnd } from '../../../src/lab/definition/goal-checks.ts';

const USER = 'systemctl --user -M student@';
const HOME = '/home/student/.config/systemd/user';
const machines: LabMachine[] = [];
afterEach(async () => {
  await Promise.all(machines.splice(0).map((m) => m.dispose()));
});

async function boot(extra: Record<string, string> = {}) {
  const lab = await loadLab('user-socket');
  const machine = await createLabMachine({ ...lab.files, ...extra }, { hostname: 'desk' });
  machines.push(machine);
  const run = (line: string) => runToEnd({ run: (l, output) => machine.run(l, output) }, line);
  return { machine, run };
}

describe('user managers', () => {
  it('has none before lingering, as systemd 252 says', async () => {
    const { run } = await boot();
    expect(await run('loginctl list-users')).toMatchObject({ exitCode: 0, stdout: 'No users.\n' });
    expect(await run(`${USER} list-sockets`)).toMatchObject({ exitCode: 1, stderr: 'Failed to list units: Transport endpoint is not connected\n' });
    expect(await run('systemctl --user list-sockets')).toMatchObject({ exitCode: 1, stderr: 'Failed to connect to bus: No medium found\n' });
  });

  it('starts user@1000.service on enable-linger, with the packaged dbus.socket in %t', async () => {
    const { run } = await boot();
    expect((await run('loginctl enable-linger student')).exitCode).toBe(0);
    expect((await run('loginctl list-users')).stdout).toBe(' UID USER    LINGER\n1000 student yes\n\n1 users listed.\n');
    expect((await run('loginctl show-user student -p Linger')).stdout).toBe('Linger=yes\n');
    expect((await run('systemctl is-active user@1000.service')).stdout).toBe('active\n');
    expect((await run(`${USER} list-sockets`)).stdout).toBe(
      'LISTEN             UNIT        ACTIVATES\n/run/user/1000/bus dbus.socket dbus.service\n\n1 sockets listed.\nPass --all to see loaded but inactive sockets, too.\n',
    );
    expect((await run("stat -c '%A %U %G' /run/user/1000")).stdout).toBe('drwx------ student student\n');
  });

  it('binds as the user: /run/hello.sock is refused, %t/hello.sock works and serves student', async () => {
    const { machine, run } = await boot();
    await run('loginctl enable-linger student');
    expect((await run(`${USER} start hello.socket`)).exitCode).toBe(1);
    expect((await run('journalctl -u user@1000.service -o cat')).stdout).toContain('hello.socket: Failed to create listening socket (/run/hello.sock): Permission denied\n');
    machine.writeFile(`${HOME}/hello.socket`, '[Unit]\nDescription=hello socket\n\n[Socket]\nListenStream=%t/hello.sock\n\n[Install]\nWantedBy=sockets.target\n');
    await run(`${USER} daemon-reload`);
    expect((await run(`${USER} enable --now hello.socket`)).stderr).toBe(
      `Created symlink ${HOME}/sockets.target.wants/hello.socket → ${HOME}/hello.socket.\n`,
    );
    expect((await run("stat -c '%A %U %G %n' /run/user/1000/hello.sock")).stdout).toBe('srw-rw-rw- student student /run/user/1000/hello.sock\n');
    expect((await run('runuser -u student -- curl -s --unix-socket /run/user/1000/hello.sock http://localhost/')).stdout).toBe('hello from uid 1000 (student)\n');
    expect((await run('sudo -u www-data curl -s --unix-socket /run/user/1000/hello.sock http://localhost/')).exitCode).toBe(7);
  });

  it('refuses port 80 to a user manager and gives it 8080', async () => {
    const { run } = await boot({
      [`${HOME}/web80.socket`]: '[Socket]\nListenStream=80\n',
      [`${HOME}/web80.service`]: '[Service]\nExecStart=/usr/local/bin/hello-user\n',
      [`${HOME}/web8080.socket`]: '[Socket]\nListenStream=8080\n',
      [`${HOME}/web8080.service`]: '[Service]\nExecStart=/usr/local/bin/hello-user\n',
    });
    await run('loginctl enable-linger student');
    await run(`${USER} start web80.socket web8080.socket`);
    expect((await run(`${USER} is-active web80.socket web8080.socket`)).stdout).toBe('failed\nactive\n');
    expect((await run('curl -s http://localhost:8080/')).stdout).toBe('hello from uid 1000 (student)\n');
    expect((await run('journalctl -u user@1000.service -o cat')).stdout).toContain('web80.socket: Failed to create listening socket ([::]:80): Permission denied\n');
  });

  it('stops the manager and removes /run/user/1000 on disable-linger; enabled sockets come back with it', async () => {
    const { machine, run } = await boot();
    machine.writeFile(`${HOME}/hello.socket`, '[Socket]\nListenStream=%t/hello.sock\n\n[Install]\nWantedBy=sockets.target\n');
    await run('loginctl enable-linger student');
    await run(`${USER} enable --now hello.socket`);
    await run('loginctl disable-linger student');
    expect((await run('systemctl is-active user@1000.service')).stdout).toBe('inactive\n');
    expect((await run('ls /run/user/')).stdout).toBe('');
    await run('loginctl enable-linger student');
    expect((await run(`${USER} is-active hello.socket`)).stdout).toBe('active\n');
  });
});

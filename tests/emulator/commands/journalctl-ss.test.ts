import { describe, expect, it } from 'vitest';
import { echoServer, machine } from '../manager/harness.ts';
import { settle } from '../manager/fake-kernel.ts';

function m1() {
  return machine({
    '/etc/systemd/system/foo.socket': '[Unit]\nDescription=Foo socket\n[Socket]\nListenStream=127.0.0.1:8080\n',
    '/etc/systemd/system/foo.service': '[Unit]\nDescription=Foo service\n[Service]\nExecStart=/usr/bin/foo\n',
  }, { '/usr/bin/foo': (ctx) => { ctx.print('serving'); echoServer()(ctx); } });
}

describe('journalctl', () => {
  it('-u filters by unit, shows program lines as PROGRAM[PID], -n limits', async () => {
    const m = m1();
    await m.run('systemctl', 'start', 'foo.socket');
    await m.kernel.net.connect('127.0.0.1:8080');
    await settle();
    const pid = m.kernel.processes.spawned[0].pid;
    const r = await m.run('journalctl', '-u', 'foo', '--no-pager');
    expect(r.stdout).toBe([
      // Type=simple: job_perform_on_unit() finds the job already done after fork, so no "Starting…";
      // the program's own output comes after "Started".
      'Nov 27 10:00:00 lab systemd[1]: Started foo.service - Foo service.',
      `Nov 27 10:00:00 lab foo[${pid}]: serving`,
      '',
    ].join('\n'));
    expect((await m.run('journalctl', '-u', 'foo.service', '-n', '1', '-o', 'cat')).stdout).toBe('serving\n');
    expect((await m.run('journalctl', '-u', 'nothing.service')).stdout).toBe('-- No entries --\n');
  });

  it('-r shows the newest first; -g filters messages (smart case), exit 1 when it filtered everything out', async () => {
    const m = m1();
    await m.run('systemctl', 'start', 'foo.socket');
    await m.kernel.net.connect('127.0.0.1:8080');
    await settle();
    expect((await m.run('journalctl', '-u', 'foo.socket', '-u', 'foo.service', '-o', 'cat', '-r')).stdout).toBe(
      'serving\nStarted foo.service - Foo service.\nListening on foo.socket - Foo socket.\n');
    expect((await m.run('journalctl', '-u', 'foo.service', '-o', 'cat', '-r', '-n', '1')).stdout).toBe('serving\n');
    expect((await m.run('journalctl', '-u', 'foo.service', '-o', 'cat', '--grep=started')).stdout).toBe('Started foo.service - Foo service.\n');
    expect((await m.run('journalctl', '-u', 'foo.service', '-o', 'cat', '-g', 'Serving')).stdout).toBe('');
    expect((await m.run('journalctl', '-u', 'foo.service', '-o', 'cat', '-g', 'Serving', '--case-sensitive=no')).stdout).toBe('serving\n');
    // Real journalctl 252 (scenario journal-and-list-formats): no "-- No entries --" and exit 1 when -g matched nothing.
    expect(await m.run('journalctl', '-u', 'foo.service', '-o', 'cat', '-g', 'hello')).toEqual({ status: 1, stdout: '', stderr: '' });
    expect(await m.run('journalctl', '-u', 'foo.service', '-n', '0')).toEqual({ status: 0, stdout: '-- No entries --\n', stderr: '' });
  });

  it('--since/--until: entries outside print nothing; bad timestamps and since after until are errors', async () => {
    const m = m1();
    await m.run('systemctl', 'start', 'foo.socket');
    expect((await m.run('journalctl', '-u', 'foo.socket', '-o', 'cat', '--since', '1 hour ago')).stdout).toBe('Listening on foo.socket - Foo socket.\n');
    expect(await m.run('journalctl', '-u', 'foo.socket', '-o', 'cat', '--until', '1 hour ago')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(await m.run('journalctl', '-u', 'foo.socket', '-S', 'bogus')).toEqual({ status: 1, stdout: '', stderr: 'Failed to parse timestamp: bogus\n' });
    expect(await m.run('journalctl', '-u', 'foo.socket', '--since', 'tomorrow', '--until', 'yesterday')).toEqual({ status: 1, stdout: '', stderr: '--since= must be before --until=.\n' });
  });

  it('-x explains PID 1\'s unit messages with the catalog (systemd 252, scenario journalctl-catalog), not with -o cat', async () => {
    const m = m1();
    await m.run('systemctl', 'start', 'foo.socket');
    const explained = (await m.run('journalctl', '-xu', 'foo.socket')).stdout;
    // The job's paragraph comes from the entry's JOB_ID= (a successful start names the id only).
    const startJob = m.system.manager.journal.entries.find((e) => e.message.startsWith('Listening on'))?.job;
    expect(startJob).toMatchObject({ type: 'start', result: 'done' });
    expect(explained).toBe([
      'Nov 27 10:00:00 lab systemd[1]: Listening on foo.socket - Foo socket.',
      '░░ Subject: A start job for unit foo.socket has finished successfully',
      '░░ Defined-By: systemd',
      '░░ Support: https://www.debian.org/support',
      '░░ ',
      '░░ A start job for unit foo.socket has finished successfully.',
      '░░ ',
      `░░ The job identifier is ${startJob!.id}.`,
      '',
    ].join('\n'));
    await m.run('systemctl', 'stop', 'foo.socket');
    const stopped = (await m.run('journalctl', '-x', '-u', 'foo.socket')).stdout;
    const stopJob = m.system.manager.journal.entries.find((e) => e.message.startsWith('Closed'))?.job;
    expect(stopJob!.id).toBeGreaterThan(startJob!.id);
    expect(stopped).toContain("░░ The unit foo.socket has successfully entered the 'dead' state.\n");
    expect(stopped).toContain(`░░ A stop job for unit foo.socket has finished.\n░░ \n░░ The job identifier is ${stopJob!.id} and the job result is done.\n`);
    expect((await m.run('journalctl', '-x', '-u', 'foo.socket', '-o', 'cat')).stdout).not.toContain('░░');
  });

  it('-o verbose and -o json show the stored fields: PID 1\'s JOB_TYPE=, JOB_RESULT=, JOB_ID= and UNIT=, a service\'s stdout transport (systemd 252)', async () => {
    const m = m1();
    await m.run('systemctl', 'start', 'foo.socket');
    const job = m.system.manager.journal.entries.find((e) => e.message.startsWith('Listening on'))!.job!;
    const verbose = (await m.run('journalctl', '-u', 'foo.socket', '-o', 'verbose')).stdout.split('\n');
    expect(verbose[0]).toMatch(/^Fri 2026-11-27 10:00:00\.000000 UTC \[s=[0-9a-f]{32};i=[0-9a-f]+;b=[0-9a-f]{32};m=[0-9a-f]+;t=[0-9a-f]+;x=[0-9a-f]{16}\]$/);
    for (const field of ['_PID=1', '_COMM=systemd', '_SYSTEMD_UNIT=init.scope', '_TRANSPORT=journal', 'PRIORITY=6', 'UNIT=foo.socket', 'JOB_TYPE=start', 'JOB_RESULT=done', `JOB_ID=${job.id}`, 'MESSAGE=Listening on foo.socket - Foo socket.']) {
      expect(verbose).toContain(`    ${field}`);
    }
    const json = JSON.parse((await m.run('journalctl', '-u', 'foo.socket', '-o', 'json')).stdout) as Record<string, string>;
    expect(json).toMatchObject({ MESSAGE: 'Listening on foo.socket - Foo socket.', JOB_ID: String(job.id), JOB_RESULT: 'done', _PID: '1', __REALTIME_TIMESTAMP: String(Date.UTC(2026, 10, 27, 10) * 1000) });
    expect(json.__CURSOR).toBe(verbose[0].slice(verbose[0].indexOf('[') + 1, -1));
    // --output-fields= picks the fields (json keeps the cursor, the timestamps and _BOOT_ID, as journalctl does).
    expect((await m.run('journalctl', '-u', 'foo.socket', '-o', 'verbose', '--output-fields=MESSAGE,JOB_ID')).stdout.split('\n').slice(1)).toEqual(['    JOB_ID=' + job.id, '    MESSAGE=Listening on foo.socket - Foo socket.', '']);
    expect(Object.keys(JSON.parse((await m.run('journalctl', '-u', 'foo.socket', '-o', 'json', '--output-fields=MESSAGE')).stdout))).toEqual(['__CURSOR', '__REALTIME_TIMESTAMP', '__MONOTONIC_TIMESTAMP', '_BOOT_ID', 'MESSAGE']);
    await m.kernel.net.connect('127.0.0.1:8080');
    await settle();
    const pretty = (await m.run('journalctl', '-u', 'foo.service', '-o', 'json-pretty', '-n', '1')).stdout;
    expect(pretty).toMatch(/^\{\n\t"__CURSOR" : "s=/);
    expect(pretty).toContain('\t"_TRANSPORT" : "stdout",\n\t"SYSLOG_IDENTIFIER" : "foo",\n\t"MESSAGE" : "serving",\n');
    expect(pretty).toContain('\t"_SYSTEMD_UNIT" : "foo.service",\n');
    expect(pretty.endsWith('\n}\n')).toBe(true);
  });

  it('-f follows until interrupted', async () => {
    const m = m1();
    let out = '';
    const controller = new AbortController();
    const done = m.system.runCommand(['journalctl', '-f', '-u', 'foo.socket'], { stdout: (t) => { out += t; }, stderr: () => {}, signal: controller.signal });
    await m.run('systemctl', 'start', 'foo.socket');
    expect(out).toContain('systemd[1]: Listening on foo.socket - Foo socket.\n');
    controller.abort();
    expect(await done).toBe(130);
  });
});

describe('ss', () => {
  it('-ltnp shows the manager as owner of the activation socket', async () => {
    const m = m1();
    await m.run('systemctl', 'start', 'foo.socket');
    const r = await m.run('ss', '-ltnp');
    const lines = r.stdout.trimEnd().split('\n');
    // iproute2 6.1 glues the Process header to the peer's Port column (the column has no delimiter) and pads lines.
    expect(lines[0]).toMatch(/^State\s+Recv-Q\s+Send-Q\s+Local Address:Port\s+Peer Address:PortProcess\s*$/);
    expect(lines[1]).toMatch(/^LISTEN\s+0\s+\d+\s+127\.0\.0\.1:8080\s+\S+\s+users:\(\("systemd",pid=1,fd=\d+\)\)\s*$/);
  });

  it('unknown command → bash: command not found, 127', async () => {
    const m = m1();
    expect(await m.run('frob')).toMatchObject({ status: 127, stderr: 'bash: frob: command not found\n' });
  });
});

describe('journalctl -u patterns (journalctl.c add_units: globs match unit names with fnmatch)', () => {
  it("-u 'echo@*' and -u '*.socket' select every matching unit; a plain name without suffix means .service", async () => {
    const m = machine({
      '/etc/systemd/system/echo.socket': '[Unit]\nDescription=Echo socket\n[Socket]\nListenStream=127.0.0.1:7\nAccept=yes\n',
      '/etc/systemd/system/echo@.service': '[Unit]\nDescription=Echo\n[Service]\nExecStart=/usr/bin/echo-srv\n',
      '/etc/systemd/system/foo.socket': '[Unit]\nDescription=Foo socket\n[Socket]\nListenStream=127.0.0.1:8080\n',
      // socket_start() refuses a socket whose service is not loaded.
      '/etc/systemd/system/foo.service': '[Service]\nExecStart=/usr/bin/echo-srv\n',
    }, { '/usr/bin/echo-srv': (ctx) => { ctx.print(`instance ${ctx.env.REMOTE_PORT !== undefined}`); ctx.exit(0); } });
    await m.run('systemctl', 'start', 'echo.socket', 'foo.socket');
    await m.kernel.net.connect('127.0.0.1:7');
    await settle();
    await m.kernel.net.connect('127.0.0.1:7');
    await settle();
    const instances = (await m.run('journalctl', '-u', 'echo@*', '-o', 'cat')).stdout.split('\n').filter((l) => l === 'instance true');
    expect(instances).toHaveLength(2);
    const sockets = (await m.run('journalctl', '-u', '*.socket', '-o', 'cat')).stdout;
    expect(sockets).toBe('Listening on echo.socket - Echo socket.\nListening on foo.socket - Foo socket.\n');
    expect((await m.run('journalctl', '-u', 'echo@[0-9]*', '-o', 'cat')).stdout).toContain('instance true');
    // Real journalctl 252 prints "-- No entries --" in its short formats only: nothing with -o cat (Debian 12).
    expect((await m.run('journalctl', '-u', 'nomatch*', '-o', 'cat')).stdout).toBe('');
    expect((await m.run('journalctl', '-u', 'nomatch*')).stdout).toBe('-- No entries --\n');
  });
});

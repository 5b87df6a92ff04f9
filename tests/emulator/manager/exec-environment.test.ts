import { describe, expect, it } from 'vitest';
import { parseEnvironmentFile } from '../../../src/emulator/manager/environment-file.ts';
import { replaceEnv, replaceEnvArgv } from '../../../src/emulator/manager/exec-environment.ts';
import { echoServer, machine } from './harness.ts';

describe('Exec*= variable expansion (env-util.c replace_env_argv / replace_env_n)', () => {
  const env = { FOO: 'a  b\tc', EMPTY: '', Q: `-o "x y" 'z w'`, N: 'one' };

  it('$FOO alone as a word is split on whitespace into several arguments, quotes removed', () => {
    expect(replaceEnvArgv(['/bin/p', '$FOO', '$Q'], env)).toEqual(['/bin/p', 'a', 'b', 'c', '-o', 'x y', 'z w']);
  });

  it('$FOO that is empty or undefined gives no argument at all', () => {
    expect(replaceEnvArgv(['/bin/p', '$EMPTY', '$UNDEFINED', 'x'], env)).toEqual(['/bin/p', 'x']);
  });

  it('${FOO} is substituted inside a word without splitting; undefined expands to nothing', () => {
    expect(replaceEnvArgv(['/bin/p', '--opt=${FOO}', 'pre${N}post', '${UNDEFINED}'], env)).toEqual(['/bin/p', '--opt=a  b\tc', 'preonepost', '']);
  });

  it('$$ is a literal $; $FOO inside a word and ${FOO:-x} are left as written', () => {
    expect(replaceEnvArgv(['/bin/p', '$$N', 'a$$b', 'x$N', '${N:-d}', '${N'], env)).toEqual(['/bin/p', '$N', 'a$b', 'x$N', '${N:-d}', '${N']);
    expect(replaceEnv('cost: $$5 ${N}', env)).toBe('cost: $5 one');
  });

  it('ssh.service: $SSHD_OPTS from an optional EnvironmentFile reaches sshd as arguments, and ExecReload gets $MAINPID', async () => {
    let sshdArgs: string[] = [];
    let killArgs: string[] = [];
    const unit = '[Unit]\nDescription=SSH\n[Service]\nEnvironmentFile=-/etc/default/ssh\nEnvironmentFile=-/etc/default/missing\nExecStart=/usr/sbin/sshd -D $SSHD_OPTS\nExecReload=/bin/kill -HUP $MAINPID\n';
    const m = machine({
      '/etc/systemd/system/ssh.service': unit,
      '/etc/default/ssh': '# comment\nSSHD_OPTS="-o LogLevel=VERBOSE  -p 2222"\n',
    }, { '/usr/sbin/sshd': (ctx) => { sshdArgs = ctx.argv; echoServer()(ctx); }, '/bin/kill': (ctx) => { killArgs = ctx.argv; queueMicrotask(() => ctx.exit(0)); } });
    expect((await m.run('systemctl', 'start', 'ssh.service')).status).toBe(0);
    expect(sshdArgs).toEqual(['/usr/sbin/sshd', '-D', '-o', 'LogLevel=VERBOSE', '-p', '2222']);
    const status = await m.run('systemctl', 'status', 'ssh.service');
    expect(status.stdout).toContain('/usr/sbin/sshd -D -o LogLevel=VERBOSE -p 2222');
    expect(status.stdout).not.toContain('$SSHD_OPTS');
    await m.run('systemctl', 'reload', 'ssh.service');
    expect(killArgs).toEqual(['/bin/kill', '-HUP', String(m.kernel.processes.spawned[0].pid)]);
  });

  it('an empty SSHD_OPTS= gives sshd no extra argument', async () => {
    let sshdArgs: string[] = [];
    const m = machine({
      '/etc/systemd/system/ssh.service': '[Service]\nEnvironmentFile=-/etc/default/ssh\nExecStart=/usr/sbin/sshd -D $SSHD_OPTS\n',
      '/etc/default/ssh': 'SSHD_OPTS=\n',
    }, { '/usr/sbin/sshd': (ctx) => { sshdArgs = ctx.argv; echoServer()(ctx); } });
    await m.run('systemctl', 'start', 'ssh.service');
    expect(sshdArgs).toEqual(['/usr/sbin/sshd', '-D']);
  });
});

describe('EnvironmentFile= parsing (env-file.c parse_env_file_internal, load_env_file)', () => {
  it('comments (one ending in \\ swallows the next line), quotes, escapes, continuation lines and whitespace as systemd reads them', () => {
    const text = [
      '# a comment \\',
      'A=1',
      '  ; another comment',
      'B = spaced value   ',
      "C='single $quoted \\n'",
      'D="double \\"esc\\" \\$x \\n"',
      'E=cont\\',
      'inued',
      'F=a\\ b',
      'G=',
      'H="multi',
      'line"',
      'NOEQUALS',
      'I=x # not a comment',
    ].join('\n');
    expect(parseEnvironmentFile(text).assignments).toEqual([
      ['B', 'spaced value'], ['C', 'single $quoted \\n'], ['D', 'double "esc" $x \\n'],
      ['E', 'continued'], ['F', 'a b'], ['G', ''], ['H', 'multi\nline'], ['I', 'x # not a comment'],
    ]);
  });

  it('`export FOO=bar` and names that are not valid are ignored and reported, as strv_env_clean_with_callback', () => {
    const parsed = parseEnvironmentFile('export FOO=bar\n1X=no\nOK=yes\nA-B=no\n');
    expect(parsed.assignments).toEqual([['OK', 'yes']]);
    expect(parsed.invalid).toEqual(['export FOO=bar', '1X=no', 'A-B=no']);
  });

  it('the unit logs "Ignoring invalid environment assignment" for them, with the file name', async () => {
    const m = machine({
      '/etc/systemd/system/e.service': '[Service]\nEnvironmentFile=/etc/e.env\nExecStart=/usr/bin/e\n',
      '/etc/e.env': 'export FOO=bar\nOK=1\n',
    }, { '/usr/bin/e': echoServer() });
    await m.run('systemctl', 'start', 'e.service');
    expect(m.messages()).toContain("e.service: Ignoring invalid environment assignment 'export FOO=bar': /etc/e.env");
    expect(m.kernel.processes.spawned[0].env.OK).toBe('1');
    expect(m.kernel.processes.spawned[0].env.FOO).toBeUndefined();
  });
});

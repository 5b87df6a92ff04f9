import { describe, expect, it } from 'vitest';
import { machine } from './helpers.ts';

describe('shell: running lines', () => {
  it('command not found is 127 with bash\'s message; syntax errors are 2', async () => {
    const m = machine();
    expect(await m.run('foo')).toEqual({ status: 127, stdout: '', stderr: 'bash: foo: command not found\n' });
    expect(await m.run('echo |')).toMatchObject({ status: 2, stderr: 'bash: syntax error: unexpected end of file\n' });
  });

  it('&&, || and ; follow exit statuses, $? is the last status', async () => {
    const m = machine();
    expect((await m.run('false && echo no; true && echo yes || echo never')).stdout).toBe('yes\n');
    expect((await m.run('false; echo $?')).stdout).toBe('1\n');
    expect((await m.run('echo 1; echo 2|cat')).stdout).toBe('1\n2\n');
  });

  it('variables expand when their command runs: assignments, export, NAME=value prefixes, ${…} operators (as Debian 12\'s interactive bash 5.2)', async () => {
    const m = machine();
    const out = async (line: string) => (await m.run(line)).stdout;
    expect(await out('X=1; echo $X')).toBe('1\n');
    // A plain assignment is a shell variable: not in the environment of the commands, until exported.
    const envLines = async (line: string, name: string) => (await out(line)).split('\n').filter((l) => l.startsWith(`${name}=`) || l.startsWith('['));
    expect(await envLines('X=1; env; echo "[$X]"', 'X')).toEqual(['[1]']);
    expect(await envLines('export X2=2; env', 'X2')).toEqual(['X2=2']);
    expect(await envLines('Y=3; export Y; env', 'Y')).toEqual(['Y=3']);
    // NAME=value before a command: in its environment only, and not yet when its own words expand.
    expect(await envLines('FOO=1 env; echo "[$FOO]"', 'FOO')).toEqual(['FOO=1', '[]']);
    expect(await out('FOO=1 echo "<$FOO>"')).toBe('<>\n');
    expect(await out('echo ${U:-def} ${U-d2} "${E:-x y}"')).toBe('def d2 x y\n');
    expect(await out('E=; echo [${E:-a}] [${E-b}] [${E:+c}] [${Z+d}]')).toBe('[a] [] [] []\n');
    expect(await out('echo ${#HOME}')).toBe('5\n');
    expect(await out('echo ${V:=set}; echo $V')).toBe('set\nset\n');
    expect(await out('false; X=$?; echo $X')).toBe('1\n');
    expect(await out('echo ${W:-$HOME/x} "${W:-\'q\'}"')).toBe("/root/x 'q'\n");
    expect(await out('unset X; echo "[$X]"; echo $0 $# "[$1]"')).toBe('[]\nbash 0 []\n');
    expect(await m.run('echo ${Q:?nope}; echo after')).toEqual({ status: 1, stdout: '', stderr: 'bash: Q: nope\n' });
  });

  it('field splitting: unquoted expansions split on blanks and vanish when empty; quoted ones and \'\' / "" keep their word', async () => {
    const m = machine();
    expect((await m.run('A="a  b"; echo [$A] "[$A]"')).stdout).toBe('[a b] [a  b]\n');
    expect((await m.run("echo \"\" $EMPTY ''x | cat")).stdout).toBe(' x\n');
    expect((await m.run('echo $EMPTY $EMPTY end')).stdout).toBe('end\n');
  });

  it('$(…) runs its command when its own command runs, split into fields unless quoted, as bash does', async () => {
    const m = machine();
    await m.run('echo one > /tmp/f');
    // Runs after the first command of the list, not when the line is parsed.
    expect((await m.run('echo two > /tmp/f; cat /proc/$(echo self)/nothing 2>/dev/null; echo [$(cat /tmp/f)]')).stdout).toBe('[two]\n');
    expect((await m.run(`echo $(echo 'a   b') "$(echo 'a   b')" x$(echo)y`)).stdout).toBe('a b a   b xy\n');
    expect((await m.run('echo "$(echo "in quotes")" $(echo $(echo nested))')).stdout).toBe('in quotes nested\n');
    await m.run('X=$(echo a   b)');
    expect((await m.run('echo "$X"')).stdout).toBe('a b\n');
    expect((await m.run('echo $(echo 1; echo; echo)!')).stdout).toBe('1!\n');
    expect(await m.run('echo $(echo open')).toMatchObject({ status: 2, stderr: "bash: unexpected EOF while looking for matching `)'\n" });
  });

  it('pipes connect stdout to the next stdin', async () => {
    const m = machine();
    expect((await m.run('echo hello | cat | cat')).stdout).toBe('hello\n');
  });

  it('> and >> write machine files; < reads them; errors like bash', async () => {
    const m = machine();
    await m.run('echo one > /tmp/f');
    await m.run('echo two >> /tmp/f');
    expect(m.kernel.fs.readFile('/tmp/f')).toBe('one\ntwo\n');
    expect((await m.run('cat < /tmp/f')).stdout).toBe('one\ntwo\n');
    expect(await m.run('echo x > /nope/f')).toMatchObject({ status: 1, stderr: 'bash: /nope/f: No such file or directory\n' });
    expect((await m.run('cat /nope 2>/tmp/err')).stderr).toBe('');
    expect(m.kernel.fs.readFile('/tmp/err')).toBe('cat: /nope: No such file or directory\n');
  });

  it('cd, pwd and relative paths', async () => {
    const m = machine({ files: { '/etc/systemd/system/myapp.socket': '[Socket]\nListenStream=8080\n' } });
    await m.run('cd /etc/systemd/system');
    expect((await m.run('pwd')).stdout).toBe('/etc/systemd/system\n');
    expect((await m.run('cat myapp.socket')).stdout).toContain('ListenStream=8080');
    expect(await m.run('cd /nowhere')).toMatchObject({ status: 1, stderr: 'bash: cd: /nowhere: No such file or directory\n' });
  });

  it('echo -n and -e', async () => {
    const m = machine();
    expect((await m.run('echo -n a; echo -e "b\\tc"')).stdout).toBe('ab\tc\n');
  });

  it('ls -l shows a socket node as ls does', async () => {
    const m = machine();
    m.kernel.net.listen({ address: { kind: 'stream', family: 'unix', path: '/run/lab/docker.sock', text: '/run/lab/docker.sock' }, backlog: 4096, socketMode: 0o660, directoryMode: 0o755, socketUser: 'root', socketGroup: 'docker', bindIPv6Only: 'default', freeBind: false, passCredentials: false, owner: 'docker.socket' });
    expect((await m.run('ls -l /run/lab')).stdout).toBe('total 0\nsrw-rw---- 1 root docker 0 Nov 27 10:00 docker.sock\n');
    expect((await m.run('ls /nope')).stderr).toBe("ls: cannot access '/nope': No such file or directory\n");
    expect((await m.run('ls -a /run')).stdout.split('  ')).toEqual(['.', '..', 'lab', 'systemd\n']);
  });

  it('ls -ld lists a directory itself; tmpfs directories (/run) are 40 bytes plus 20 per entry, ext4 ones 4096', async () => {
    const m = machine();
    m.kernel.net.listen({ address: { kind: 'stream', family: 'unix', path: '/run/x/x.sock', text: '/run/x/x.sock' }, backlog: 4096, socketMode: 0o660, directoryMode: 0o750, socketUser: 'root', socketGroup: 'root', bindIPv6Only: 'default', freeBind: false, passCredentials: false, owner: 'x.socket' });
    // Real systemd 252 on Debian 12 (golden file unix-socket-mode-owner): drwxr-x--- 2 root root 60 … /run/x
    expect((await m.run('ls -ld /run/x')).stdout).toBe('drwxr-x--- 2 root root 60 Nov 27 10:00 /run/x\n');
    // GNU ls sorts its operands.
    expect((await m.run('ls -d /run/x /etc')).stdout).toBe('/etc  /run/x\n');
    expect((await m.run("stat -c '%s %n' /etc /run/x")).stdout).toBe('4096 /etc\n60 /run/x\n');
    // tmpfs directories use no blocks (ls -la /run/u: "total 0" on Debian 12); %h and Links: count . and subdirectories.
    expect((await m.run('ls -la /run/x')).stdout.split('\n')[0]).toBe('total 0');
    expect((await m.run("stat -c '%h %b %n' /run/x /run/x/x.sock /etc")).stdout).toMatch(/^2 0 \/run\/x\n1 0 \/run\/x\/x\.sock\n\d+ 8 \/etc\n$/);
    expect((await m.run('ls -Z /run/x')).stdout).toBe('? x.sock\n');
    expect((await m.run('ls -lZ /run/x/x.sock')).stdout).toBe('srw-rw---- 1 root root ? 0 Nov 27 10:00 /run/x/x.sock\n');
  });

  it('clear prints the ANSI clear sequence; help lists the commands', async () => {
    const m = machine();
    expect((await m.run('clear')).stdout).toBe('\x1b[2J\x1b[H');
    const help = (await m.run('help')).stdout;
    for (const name of ['curl', 'nc', 'ls', 'cat', 'echo', 'clear']) expect(help).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('sleep waits on the clock and Ctrl+C interrupts it with 130', async () => {
    const m = machine();
    const t0 = m.kernel.clock.now();
    expect((await m.run('sleep 5')).status).toBe(0);
    expect(m.kernel.clock.now() - t0).toBe(5000);
    expect((await m.run('sleep 100', { abortAfterMs: 1000 })).status).toBe(130);
  });

  it('id and sudo -u switch the user the commands run as', async () => {
    const m = machine();
    expect((await m.run('sudo -u student id')).stdout).toBe('uid=1000(student) gid=1000(student) groups=1000(student)\n');
    expect((await m.run('whoami')).stdout).toBe('root\n');
  });
});

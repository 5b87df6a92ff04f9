/**
 * Unit files for the differential verify test: good and bad units (every message type the emulator models) and
 * the shipped Debian units the lessons teach. A value starting with `->` is a symlink target.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface VerifyCase {
  name: string;
  files: Record<string, string>;
  verify: string[];
}

/** The Debian 12 units under tests/fixtures/debian-units/PACKAGE/, one case per package, verbatim. */
function shippedCases(): VerifyCase[] {
  const root = fileURLToPath(new URL('../../fixtures/debian-units/', import.meta.url));
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const names = readdirSync(join(root, entry.name)).sort();
      const files = Object.fromEntries(names.map((name) => [name, readFileSync(join(root, entry.name, name), 'utf8')]));
      return { name: `Debian 12 ${entry.name} units as shipped`, files, verify: names };
    });
}

const OK_SERVICE = '[Service]\nExecStart=/bin/true\n';

export const CORPUS: VerifyCase[] = [
  { name: 'a path unit with nothing to watch (path_verify())', files: { 'np.path': '[Path]\n', 'np.service': OK_SERVICE }, verify: ['np.path'] },
  {
    name: 'a socket refused by socket_verify() still loads its service (socket_add_extras() ran first)',
    files: { 'ns.socket': '[Socket]\n', 'ns.service': '[Service]\n' },
    verify: ['ns.socket', 'ns.service'],
  },
  { name: 'a clean socket and its service', files: { 'app.socket': '[Socket]\nListenStream=127.0.0.1:8080\n', 'app.service': OK_SERVICE }, verify: ['app.socket', 'app.service'] },
  {
    // socket_add_extras() runs before socket_verify(): the refused socket still loads its service, whose refusal
    // comes out before the socket's "bad unit file setting" (the myapp lab's starting state).
    name: 'a socket without Listen= still loads its service, which is refused too',
    files: { 'nolisten.socket': '[Socket]\nAccept=no\n', 'nolisten.service': '[Service]\nType=simple\n' },
    verify: ['nolisten.socket'],
  },
  { name: 'both refused, both named', files: { 'both.socket': '[Socket]\n', 'both.service': '[Unit]\nDescription=x\n' }, verify: ['both.socket', 'both.service'] },
  { name: 'an Accept=yes socket without Listen= loads no service', files: { 'acc.socket': '[Socket]\nAccept=yes\n', 'acc@.service': '[Service]\n' }, verify: ['acc.socket'] },
  {
    name: 'syntax messages: unknown key, section, outside, missing =, X- ignored',
    files: { 'syn.service': 'Foo=bar\n[Unit]\nBogus=1\nX-Custom=1\n[Nope]\nA=b\n[X-Ext]\nC=d\n[Service]\nExecStart=/bin/true\nnot an assignment\n=novalue\n' },
    verify: ['syn.service'],
  },
  {
    name: 'continuation lines and comments inside them report the last line',
    files: { 'cont.service': '[Unit]\nDescription=a \\\n  b\n# comment \\\nBogus1=x\nWants=foo.service \\\n# inner\n  bar.service\nBogus2=y \\\n continued\n[Service]\nExecStart=/bin/true\nBogus3 = 1\nTail=x \\\n' },
    verify: ['cont.service'],
  },
  { name: 'invalid section header fails the unit', files: { 'hdr.service': '[Service]\nExecStart=/bin/true\n[Bad\nKey=1\n' }, verify: ['hdr.service'] },
  { name: 'a [Service] section in a .socket is unknown', files: { 'sec.socket': '[Socket]\nListenStream=9000\n[Service]\nExecStart=/bin/true\n', 'sec.service': OK_SERVICE }, verify: ['sec.socket'] },
  {
    name: 'value errors of every socket parser',
    files: {
      'val.service': OK_SERVICE,
      'val.socket':
        '[Unit]\nDescription=%x desc\nDocumentation=notaurl https://ok\nConditionPathExists=relative\nRequires=%x.service\nWants=bad..name\n' +
        '[Socket]\nListenStream=0\nListenStream=[::1]\nListenStream=foo:80\nListenStream=127.0.0.1:0\nListenStream=relative/x\nListenStream=/var/run/x.sock\n' +
        'ListenSequentialPacket=127.0.0.1:80\nListenFIFO=relfifo\nListenStream=[fe80::1]:80%eth0\nListenStream=65536\nListenStream=127.0.0.1:65536\nListenStream=1.2.3:80\n' +
        'ListenStream=[::1]:80%%nodev0\nListenStream=::1:80\nListenStream=vsock:x:80\nListenStream=@\n' +
        'Accept=maybe\nBacklog=-1\nMaxConnections=abc\nSocketMode=999\nDirectoryMode=abc\nBindIPv6Only=foo\nTriggerLimitIntervalSec=2x\nTriggerLimitBurst=1.5\n' +
        'FileDescriptorName=a:b\nFileDescriptorName=%x\nService=%x.service\nService=foo.target\nSymlinks=relative\nRemoveOnStop=2\nPassCredentials=yes\nFreeBind=no\n',
    },
    verify: ['val.socket'],
  },
  {
    name: 'value errors of service parsers',
    files: {
      'vs.service':
        '[Unit]\nStartLimitIntervalSec=abc\nStartLimitBurst=x\n[Service]\nType=bogus\nRestart=sometimes\nRestartSec=1min 30s\nRestartSec=5 s\nTimeoutStartSec=abc\n' +
        'Environment="A=1" B=2 C\nEnvironment="unbalanced\nEnvironment=%x=1\nEnvironmentFile=-/etc/foo\nEnvironmentFile=relative\nStandardInput=bogus\nStandardOutput=bogus\n' +
        'StandardInput=socket\nSockets=foo.service\nExecStart=/bin/true\nExecReload=/bin/echo \\q\n',
    },
    verify: ['vs.service'],
  },
  {
    name: 'path unit value errors',
    files: { 'pp.path': '[Path]\nPathExists=relative\nPathChanged=/ok\nUnit=foo.bogus\nUnit=pp.path\nUnit=pp.service\nMakeDirectory=maybe\n[Install]\nWantedBy=foo bar\n', 'pp.service': OK_SERVICE },
    verify: ['pp.path'],
  },
  { name: 'target with a [Service] section', files: { 'tt.target': '[Unit]\nDescription=t\n[Install]\nWantedBy=multi-user.target\n[Service]\nExecStart=/bin/true\n' }, verify: ['tt.target'] },
  { name: 'socket with no Listen', files: { 'nol.socket': '[Socket]\nAccept=no\n', 'nol.service': OK_SERVICE }, verify: ['nol.socket'] },
  { name: 'Accept=yes with a datagram socket', files: { 'dg.socket': '[Socket]\nListenDatagram=8080\nAccept=yes\n', 'dg@.service': OK_SERVICE }, verify: ['dg.socket'] },
  { name: 'Accept=yes with MaxConnections=0', files: { 'mc.socket': '[Socket]\nListenStream=8080\nAccept=yes\nMaxConnections=0\n', 'mc@.service': OK_SERVICE }, verify: ['mc.socket'] },
  { name: 'Accept=yes with Service=', files: { 'as.socket': '[Socket]\nListenStream=8080\nAccept=yes\nService=as2.service\n', 'as2.service': OK_SERVICE }, verify: ['as.socket'] },
  { name: 'Accept=yes without a template service', files: { 'nt.socket': '[Socket]\nListenStream=8080\nAccept=yes\n' }, verify: ['nt.socket'] },
  { name: 'Accept=yes with its template', files: { 'wt.socket': '[Socket]\nListenStream=8080\nAccept=yes\n', 'wt@.service': '[Service]\nExecStart=-/bin/cat\nStandardInput=socket\n' }, verify: ['wt.socket'] },
  { name: 'socket whose service is missing', files: { 'miss.socket': '[Socket]\nListenStream=/run/miss.sock\n' }, verify: ['miss.socket'] },
  { name: 'service without ExecStart', files: { 'noexec.service': '[Service]\nType=simple\n' }, verify: ['noexec.service'] },
  { name: 'oneshot with only ExecStop', files: { 'os.service': '[Service]\nType=oneshot\nExecStop=/bin/true\n' }, verify: ['os.service'] },
  { name: 'two ExecStart in a simple service', files: { 'two.service': '[Service]\nExecStart=/bin/true\nExecStart=/bin/false\n' }, verify: ['two.service'] },
  { name: 'oneshot with Restart=always', files: { 'ra.service': '[Service]\nType=oneshot\nExecStart=/bin/true\nRestart=always\n' }, verify: ['ra.service'] },
  {
    name: 'exec prefixes, quoting and missing executables',
    files: {
      'ex.service': '[Service]\nExecStart=/opt/myapp/myapp\nExecStartPre=-/opt/nothere\nExecStartPost=/opt/nothere2 arg\nExecStop=-:+!/bin/false "quoted arg" \'single\'  \\\n more\nExecReload=/bin/kill -HUP $MAINPID\n',
      'ex2.service': '[Service]\nExecStart=/bin/echo "unterminated\n',
      'ex3.service': '[Service]\nExecStart=@/bin/true\n',
      'ex4.service': '[Service]\nExecStart=-\n',
      'ex5.service': '[Service]\nExecStart=/bin/echo %x\n',
      'ex6.service': '[Service]\nExecStart=relative-thing\n',
      'ex7.service': '[Service]\nExecStart=-"/bin/echo\nExecStop=/bin/true\n',
      'ex8.service': '[Service]\nType=oneshot\nExecStart=/bin/true ; /bin/echo a \\; b\n',
    },
    verify: ['ex.service', 'ex2.service', 'ex3.service', 'ex4.service', 'ex5.service', 'ex6.service', 'ex7.service', 'ex8.service'],
  },
  {
    name: 'Requires= on missing, masked and bad units',
    files: {
      'rq.service': '[Unit]\nRequires=nothere.service\nWants=alsonot.socket\nAfter=bogus.target\n[Service]\nExecStart=/bin/true\n',
      'rq2.service': '[Unit]\nRequires=rqbad.service\n[Service]\nExecStart=/bin/true\n',
      'rqbad.service': '[Service]\n',
      'rq3.service': '[Unit]\nRequires=rqmasked.service\n[Service]\nExecStart=/bin/true\n',
      'rqmasked.service': '->/dev/null',
      'rqempty.service': '',
    },
    verify: ['rq.service', 'rq2.service', 'rq3.service', 'rqempty.service', 'rqmasked.service'],
  },
  { name: 'dependency units are parsed and warn too', files: { 'dep.service': '[Unit]\nWants=dep2.service\n[Service]\nExecStart=/bin/true\n', 'dep2.service': '[Service]\nExecStart=/bin/true\nBogus=1\n' }, verify: ['dep.service'] },
  { name: 'not found, bad file names', files: {}, verify: ['nothere.service', 'file.foo'] },
  {
    name: 'drop-ins apply after the main file in name order',
    files: {
      'di.socket': '[Socket]\nListenStream=8080\n',
      'di.service': OK_SERVICE,
      'di.socket.d/20-b.conf': '[Socket]\nBogusB=1\n',
      'di.socket.d/10-a.conf': '[Socket]\nBogusA=1\nAccept=maybe\n',
      'di.socket.d/ignored.txt': '[Socket]\nNotRead=1\n',
    },
    verify: ['di.socket'],
  },
  // The classic inetd-style pair (older Debian, Arch's sshd.socket): one sshd per connection. Debian 12 ships
  // ssh.socket with Accept=no instead (the shipped files are verified below from tests/fixtures/debian-units).
  {
    name: 'classic inetd-style sshd pair (Accept=yes + ssh@.service)',
    files: {
      'ssh.socket': '[Unit]\nDescription=OpenBSD Secure Shell server socket\nBefore=sockets.target\nConditionPathExists=!/etc/ssh/sshd_not_to_be_run\n\n[Socket]\nListenStream=22\nAccept=yes\n\n[Install]\nWantedBy=sockets.target\n',
      'ssh@.service': '[Unit]\nDescription=OpenBSD Secure Shell server per-connection daemon\nDocumentation=man:sshd(8) man:sshd_config(5)\nAfter=auditd.service\n\n[Service]\nEnvironmentFile=-/etc/default/ssh\nExecStart=-/usr/sbin/sshd -i $SSHD_OPTS\nStandardInput=socket\nRuntimeDirectory=sshd\nRuntimeDirectoryMode=0755\n',
    },
    verify: ['ssh.socket', 'ssh@.service'],
  },
  ...shippedCases(),
];

/** dbus.socket / dbus.service are installed on Debian machines: verify them where they are. */
export const INSTALLED_UNITS = ['/lib/systemd/system/dbus.socket', '/lib/systemd/system/dbus.service'];

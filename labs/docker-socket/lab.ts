/**
 * Lab of lesson 7 "Docker": lock docker.socket down to root and the docker group, make dockerd take
 * the socket with -H fd://, start the daemon with the first API call, and keep it on demand only.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { findUnit, lastAssignment } from '../../src/lab/definition/check-helpers.ts';

const SOCKET = '/etc/systemd/system/docker.socket';
const SERVICE = '/etc/systemd/system/docker.service';

export default defineLab({
  id: 'docker-socket',
  title: 'docker.socket: who may talk to the daemon',
  lesson: 'docker',
  intro:
    'This machine has a dockerd stand-in that answers the Engine API calls GET /_ping and GET /version, and the two Docker units with two mistakes in them. Fix them, then let the first API call start the daemon.',
  hostname: 'docker-host',
  editable: [SOCKET, SERVICE],
  openFile: SOCKET,
  goals: [
    {
      id: 'socket-permissions',
      task: 'Let only root and the docker group connect to /run/docker.sock, and start docker.socket.',
      hint: 'In [Socket] set `SocketMode=0660`, `SocketUser=root` and `SocketGroup=docker` (as Debian ships it), then `systemctl daemon-reload` and `systemctl restart docker.socket`.',
      check: async ({ readFile, snapshot }) => {
        const text = (await readFile(SOCKET)) ?? '';
        const mode = lastAssignment(text, 'SocketMode');
        if (mode === undefined || parseInt(mode, 8) !== 0o660) return `SocketMode is ${mode ?? 'the default 0666'}; group and owner may read and write, others nothing: 0660.`;
        if (lastAssignment(text, 'SocketGroup') !== 'docker') return 'SocketGroup= is not docker.';
        const user = lastAssignment(text, 'SocketUser');
        if (user !== undefined && user !== 'root') return `SocketUser=${user}: the owner should be root.`;
        const socket = findUnit(snapshot.units, 'docker.socket');
        if (!(socket?.listen ?? []).some((listen) => listen.address === '/run/docker.sock')) return 'docker.socket does not listen on /run/docker.sock.';
        return socket?.activeState === 'active' || `docker.socket is ${socket?.activeState ?? 'not loaded'}.`;
      },
    },
    {
      id: 'dockerd-takes-fd',
      task: 'Make dockerd serve the API on the socket systemd passes (-H fd://).',
      hint: 'In docker.service, change `-H unix:///run/docker.sock` to `-H fd://`, then `systemctl daemon-reload`. `journalctl -u docker.service` shows why the old line fails.',
      check: async ({ readFile, snapshot }) => {
        const exec = lastAssignment((await readFile(SERVICE)) ?? '', 'ExecStart') ?? '';
        if (!/(^|\s)(-H|--host)[ =]fd:\/\/(\s|$)/.test(exec)) return 'ExecStart= does not pass -H fd:// yet.';
        const service = findUnit(snapshot.units, 'docker.service');
        if (service?.activeState !== 'active') return `docker.service is ${service?.activeState ?? 'not loaded'}; make an API call to start it.`;
        return (service.fds ?? []).some((fd) => fd.fd === 3 && fd.socket === 'docker.socket') || 'docker.service runs without fd 3 from docker.socket.';
      },
    },
    {
      id: 'first-api-call',
      task: 'Make an Engine API call through /run/docker.sock and get an answer.',
      hint: 'Run `curl --unix-socket /run/docker.sock http://localhost/_ping` (or `/version`); the docker CLI does the same thing. The first call starts docker.service.',
      check: ({ snapshot }) =>
        snapshot.journal.some((entry) => entry.unit === 'docker.service' && /API request GET \S+/.test(entry.message)) ||
        'dockerd has not answered any API request yet.',
    },
    {
      id: 'on-demand-only',
      task: 'Start dockerd only on demand: enable docker.socket, leave docker.service disabled.',
      hint: 'Run `systemctl enable docker.socket`; if docker.service is enabled, `systemctl disable docker.service` (Debian enables both, so dockerd starts at every boot).',
      check: ({ snapshot }) => {
        const socket = findUnit(snapshot.units, 'docker.socket');
        const service = findUnit(snapshot.units, 'docker.service');
        if (socket?.unitFileState !== 'enabled') return `docker.socket is ${socket?.unitFileState ?? 'not loaded'}, not enabled.`;
        return service?.unitFileState === 'disabled' || `docker.service is ${service?.unitFileState ?? 'not loaded'}; it should be disabled.`;
      },
    },
  ],
  solutionSteps: [
    'systemctl daemon-reload',
    'systemctl enable --now docker.socket',
    'curl -s --unix-socket /run/docker.sock http://localhost/_ping',
  ],
});

/**
 * Lab of the lesson "Docker" (/lessons/docker/): the machine boots as Debian 12's docker.io leaves it
 * (docker.socket and docker.service both enabled), with a dockerd started by `-H unix://`, which
 * unlinks /run/docker.sock and binds its own socket there (go-connections' sockets.NewUnixSocket), so
 * docker.socket listens on an orphaned inode. Make dockerd take the socket with -H fd://, lock the
 * socket down to root and the docker group, and keep the daemon on demand only.
 */
import { defineLab } from '../../src/lab/definition/lab-definition.ts';
import { findUnit, pathServedBySystemd, statNode } from '../../src/lab/definition/check-helpers.ts';

const DOCKER_SOCK = '/run/docker.sock';

export default defineLab({
  id: 'docker-socket',
  title: 'docker.socket: who may talk to the daemon',
  lesson: 'docker',
  intro:
    'This machine has a dockerd stand-in that answers the Engine API calls GET /_ping and GET /version, and the two Docker units as Debian enables them, with two mistakes. dockerd already runs: look at /run/docker.sock with ss -xlp and ls -li /run/docker.sock before you change anything.',
  hostname: 'docker-host',
  editable: ['/etc/systemd/system/docker.socket', '/etc/systemd/system/docker.service'],
  openFile: '/etc/systemd/system/docker.socket',
  goals: [
    {
      id: 'dockerd-takes-fd',
      task: 'Make dockerd serve the API on the socket systemd passes (-H fd://), so that /run/docker.sock stays docker.socket\'s.',
      hint: 'With `-H unix:///run/docker.sock` dockerd unlinks the path and binds its own socket: `ss -xlp` shows two sockets at /run/docker.sock (one held by systemd alone) and `ls -li /run/docker.sock` shows dockerd\'s inode, root:docker, 0660. Change it to `-H fd://`, `systemctl daemon-reload`, then `systemctl stop docker.service docker.socket` and `systemctl start docker.socket`: systemd binds the path again.',
      check: async ({ run, snapshot }) => {
        const served = await pathServedBySystemd(run, DOCKER_SOCK, 'docker.socket');
        if (served !== true) return served;
        const service = findUnit(snapshot.units, 'docker.service');
        if (service?.activeState !== 'active') return `docker.service is ${service?.activeState ?? 'not loaded'}; make an API call to start it.`;
        return (service.fds ?? []).some((fd) => fd.fd === 3 && fd.socket === 'docker.socket') || 'docker.service runs without fd 3 from docker.socket.';
      },
    },
    {
      id: 'socket-permissions',
      task: 'Let only root and the docker group connect to /run/docker.sock: the node systemd made must be srw-rw---- root docker.',
      hint: 'In [Socket] set `SocketMode=0660`, `SocketUser=root` and `SocketGroup=docker` (as Debian ships it), then `systemctl daemon-reload`, `systemctl stop docker.service docker.socket` and `systemctl start docker.socket`; `stat /run/docker.sock` shows the result.',
      check: async ({ run, snapshot }) => {
        const socket = findUnit(snapshot.units, 'docker.socket');
        if (socket?.activeState !== 'active') return `docker.socket is ${socket?.activeState ?? 'not loaded'}.`;
        const served = await pathServedBySystemd(run, DOCKER_SOCK, 'docker.socket');
        if (served !== true) return served;
        const node = await statNode(run, DOCKER_SOCK);
        if (!node) return `${DOCKER_SOCK} does not exist.`;
        if (node.mode !== 0o660) return `${DOCKER_SOCK} has mode 0${node.mode.toString(8)}; owner and group may read and write, others nothing: 0660.`;
        return (node.user === 'root' && node.group === 'docker') || `${DOCKER_SOCK} belongs to ${node.user}:${node.group}, not root:docker.`;
      },
    },
    {
      id: 'first-api-call',
      task: 'Make an Engine API call through /run/docker.sock and get an answer from the daemon docker.socket started.',
      hint: 'Run `curl --unix-socket /run/docker.sock http://localhost/_ping` (or `/version`); the docker CLI does the same thing. With docker.service stopped, the first call starts it.',
      check: async ({ run, snapshot }) => {
        const served = await pathServedBySystemd(run, DOCKER_SOCK, 'docker.socket');
        if (served !== true) return served;
        const service = findUnit(snapshot.units, 'docker.service');
        if (!(service?.fds ?? []).some((fd) => fd.socket === 'docker.socket')) return 'The running dockerd did not get its socket from docker.socket.';
        return snapshot.journal.some((entry) => entry.unit === 'docker.service' && /API request GET \S+ listener=docker\.socket/.test(entry.message)) ||
          'dockerd has not answered an API request on the socket from docker.socket yet.';
      },
    },
    {
      id: 'on-demand-only',
      task: 'Start dockerd only on demand: docker.socket enabled, docker.service disabled (Debian enables both).',
      hint: 'Run `systemctl disable docker.service` (it removes the multi-user.target.wants link) and keep docker.socket enabled (`systemctl is-enabled docker.socket docker.service`). Containers with a restart policy then no longer come up at boot: only the first API call starts dockerd.',
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
    'systemctl disable docker.service',
    'systemctl stop docker.service docker.socket',
    'systemctl start docker.socket',
    'curl -s --unix-socket /run/docker.sock http://localhost/_ping',
  ],
});

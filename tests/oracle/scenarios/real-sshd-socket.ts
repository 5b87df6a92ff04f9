import { debianUnit } from '../real-programs-kit.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'real-sshd-socket',
  about: "Debian's sshd with Debian's ssh.socket (Accept=no) and ssh.service (Type=notify): sshd takes fd 3 and answers",
  files: {
    '/lib/systemd/system/ssh.socket': debianUnit('openssh-server', 'ssh.socket'),
    '/lib/systemd/system/ssh.service': debianUnit('openssh-server', 'ssh.service'),
  },
  kernels: ['node'],
  steps: [
    'systemctl stop ssh.service',
    'systemctl start ssh.socket',
    'systemctl is-active ssh.socket ssh.service',
    'echo hello | nc -N 127.0.0.1 22',
    { waitFor: 'systemctl is-active ssh.service', equals: 'active' },
    'echo hello | nc -N 127.0.0.1 22',
    'systemctl is-active ssh.socket ssh.service',
    'systemctl show -p Type,NotifyAccess,ActiveState,SubState,Result,NRestarts ssh.service',
    'systemctl show -p ActiveState,SubState ssh.socket',
  ],
});

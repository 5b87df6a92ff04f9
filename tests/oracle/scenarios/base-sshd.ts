import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'base-sshd',
  about: "Debian's own sshd from boot: ssh.service's journal, its listeners and its banner",
  steps: [
    'journalctl -u ssh.service --no-pager -o cat',
    'systemctl is-active ssh.service ssh.socket',
    'ss -tlnp',
    'echo hello | nc -N 127.0.0.1 22',
    'systemctl show -p Type,MainPID,NRestarts,Result ssh.service',
  ],
});

import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-other-socket-types-5',
  about: "Debian 12's netlink sockets: journald's audit socket and networkd's route socket",
  steps: [
    'systemctl show -p Listen systemd-journald-audit.socket systemd-networkd.socket',
    'systemctl status systemd-journald-audit.socket',
  ],
});

import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-other-socket-types-1',
  about: "Debian 12's /dev/log and /run/initctl: what systemd listens on and the nodes it made",
  kernels: [],
  steps: [
    'systemctl show -p Listen systemd-journald-dev-log.socket systemd-initctl.socket',
    "stat -c '%F %A %U %G %N' /dev/log /run/systemd/journal/dev-log",
    "stat -c '%F %A %U %G %N' /run/initctl /dev/initctl",
  ],
});

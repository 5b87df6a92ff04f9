import { defineScenario } from '../scenario.ts';

/** ls and stat as learners use them on unit files, enable links and socket nodes. */
export default defineScenario({
  id: 'ls-stat-forms',
  about: 'ls -l/-la/-ld/-li/-1 and stat default and -c forms on unit files, an enable symlink, a socket node and its directory',
  files: {
    '/etc/systemd/system/u.socket': '[Socket]\nListenStream=/run/u/u.sock\nSocketMode=0660\nDirectoryMode=0750\n\n[Install]\nWantedBy=sockets.target\n',
    '/etc/systemd/system/u.service': '[Service]\nExecStart=/opt/u/u\n',
  },
  steps: [
    'systemctl enable --now u.socket',
    'ls -l /etc/systemd/system/sockets.target.wants/u.socket',
    'ls -la /run/u',
    'ls -ld /run/u /etc/systemd/system/u.socket',
    'ls -1 /run/u',
    'ls -l /run/u/u.sock /etc/systemd/system/u.service',
    "stat -c '%n %F %a %A %U %G %s %h' /run/u /run/u/u.sock /etc/systemd/system/u.socket /etc/systemd/system/sockets.target.wants/u.socket",
    "stat -L -c '%n %F' /etc/systemd/system/sockets.target.wants/u.socket",
    "stat -c '%N' /etc/systemd/system/sockets.target.wants/u.socket",
    'ls /run/u/nothing',
    'ls -l /nonexistent /run/u/u.sock',
    'stat /nonexistent',
    'ls -Z /run/u',
  ],
});

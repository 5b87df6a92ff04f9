import { defineScenario } from '../scenario.ts';
import { xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'list-commands',
  about: 'list-units, list-sockets and list-unit-files with patterns, types, --all, --state; a pattern with no match',
  files: {
    ...xFiles(8080),
    '/etc/systemd/system/y.socket': '[Unit]\nDescription=y socket\n\n[Socket]\nListenStream=/run/y.sock\n\n[Install]\nWantedBy=sockets.target\n',
    '/etc/systemd/system/y.service': '[Service]\nExecStart=/opt/x/x\n',
  },
  steps: [
    'systemctl enable --now x.socket',
    'systemctl list-units "x.*"',
    'systemctl list-units --all "x.*" "y.*"',
    'systemctl list-units --type=socket "x*" "y*"',
    'systemctl list-units nothing-here.service',
    'systemctl list-sockets "x*" "y*"',
    'systemctl list-sockets --all "x*" "y*"',
    'systemctl list-unit-files "x.*" "y.*"',
    'systemctl list-unit-files --type=socket "x*" "y*"',
    'systemctl list-unit-files --state=enabled "x*" "y*"',
    'systemctl list-units --state=failed "x*"',
  ],
});

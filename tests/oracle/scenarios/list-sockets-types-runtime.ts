import { defineScenario } from '../scenario.ts';
import { xFiles } from '../scenario-kit.ts';

/** list-sockets --show-types, and --runtime enable/mask with is-enabled reading them back. */
export default defineScenario({
  id: 'list-sockets-types-runtime',
  about: 'list-sockets --show-types; enable --runtime and mask --runtime (links under /run/systemd/system) and their states',
  files: {
    ...xFiles(8080),
    '/etc/systemd/system/y.socket': '[Socket]\nListenStream=/run/y.sock\nListenDatagram=127.0.0.1:9500\n\n[Install]\nWantedBy=sockets.target\n',
    '/etc/systemd/system/y.service': '[Service]\nExecStart=/opt/x/x\n',
  },
  steps: [
    'systemctl start x.socket y.socket',
    'systemctl list-sockets --show-types "x*" "y*"',
    'systemctl enable --runtime y.socket',
    'systemctl is-enabled y.socket',
    'systemctl list-unit-files "y.*"',
    'systemctl disable --runtime y.socket',
    'systemctl is-enabled y.socket',
    'systemctl mask --runtime y.service',
    'systemctl is-enabled y.service',
    'systemctl unmask --runtime y.service',
    'systemctl is-enabled y.service',
  ],
});

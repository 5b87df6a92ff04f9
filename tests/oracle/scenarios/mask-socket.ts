import { defineScenario } from '../scenario.ts';
import { xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'mask-socket',
  about: 'Masks a socket in /etc (refused), a socket in /lib (linked to /dev/null), starts it, unmasks',
  files: {
    ...xFiles(8080),
    '/lib/systemd/system/z.socket': '[Unit]\nDescription=z socket\n\n[Socket]\nListenStream=127.0.0.1:8082\n',
    '/lib/systemd/system/z.service': '[Service]\nExecStart=/opt/x/x\n',
  },
  steps: [
    'systemctl mask x.socket',
    'systemctl mask z.socket',
    'systemctl start z.socket',
    'systemctl status z.socket',
    'systemctl is-enabled z.socket',
    'systemctl list-unit-files "z.*"',
    'systemctl unmask z.socket',
    'systemctl start z.socket',
    'systemctl is-active z.socket',
  ],
});

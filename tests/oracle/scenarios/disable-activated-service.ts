import { defineScenario } from '../scenario.ts';
import { connect, xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'disable-activated-service',
  about: 'disable --now on the service of an enabled socket: the socket still listens and starts it again',
  files: { ...xFiles(8080), '/etc/systemd/system/x.service': '[Unit]\nDescription=x service\n\n[Service]\nExecStart=/opt/x/x\n\n[Install]\nWantedBy=multi-user.target\n' },
  steps: [
    'systemctl enable --now x.socket x.service',
    'systemctl disable --now x.service',
    'systemctl is-enabled x.socket x.service',
    'systemctl is-active x.socket x.service',
    connect(8080),
    { sleep: 1000 },
    'systemctl is-active x.service',
  ],
});

import { defineScenario } from '../scenario.ts';
import { xSocket } from '../scenario-kit.ts';

export default defineScenario({
  id: 'exec-not-found',
  about: 'ExecStart= names a program that does not exist, and one given as a relative path',
  files: {
    '/etc/systemd/system/x.socket': xSocket(8080),
    '/etc/systemd/system/x.service': '[Unit]\nDescription=x service\n\n[Service]\nExecStart=/opt/x/missing\n',
    '/etc/systemd/system/rel.service': '[Unit]\nDescription=relative\n\n[Service]\nExecStart=opt/x/missing\n',
  },
  steps: [
    'systemctl start x.service',
    { sleep: 1000 },
    'systemctl status x.service',
    'journalctl -u x.service --no-pager -o cat',
    'systemctl start rel.service',
    'systemctl status rel.service',
    'journalctl -u rel.service --no-pager -o cat',
  ],
});

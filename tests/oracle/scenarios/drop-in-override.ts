import { defineScenario } from '../scenario.ts';
import { connect, xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'drop-in-override',
  about: 'A drop-in moves x.socket to another port: ListenStream= without a value first, then the new one',
  files: {
    ...xFiles(8080),
    '/etc/systemd/system/x.socket.d/port.conf': '[Socket]\nListenStream=\nListenStream=127.0.0.1:8090\n',
    '/etc/systemd/system/x.service.d/env.conf': '[Service]\nEnvironment=GREETING=hi\n',
  },
  steps: [
    'systemctl start x.socket',
    'systemctl status x.socket',
    'systemctl cat x.socket',
    'systemctl show -p Listen -p DropInPaths x.socket',
    connect(8090),
    { sleep: 1000 },
    'systemctl status x.service',
  ],
});

import { defineScenario } from '../scenario.ts';
import { exitingProgram, xSocket } from '../scenario-kit.ts';

export default defineScenario({
  id: 'service-exits-without-accepting',
  about: 'A service that fails (exit 1) without accepting: the socket gives up after the service start limit',
  files: {
    '/etc/systemd/system/x.socket': xSocket(8080),
    '/etc/systemd/system/x.service': '[Unit]\nDescription=x service\n\n[Service]\nExecStart=/opt/x/x\n',
    '/opt/x/x': exitingProgram(1, 'x: no config'),
  },
  // Memory kernel only: on the Node kernel (real processes) how far this race gets before the command after it
  // depends on the machine's load, so its output is not the same from run to run (an open point of the oracle report).
  kernels: ['memory'],
  steps: [
    'systemctl start x.socket',
    { run: 'echo hi | nc -N -w 1 127.0.0.1 8080', timeout: 5000 },
    { sleep: 1500 },
    'systemctl status x.socket',
    'systemctl status x.service',
    'systemctl show -p Result x.socket x.service',
    'journalctl -u x.service -u x.socket --no-pager -o cat',
  ],
});

import { defineScenario } from '../scenario.ts';
import { exitingProgram, xSocket } from '../scenario-kit.ts';

export default defineScenario({
  id: 'trigger-limit',
  about: 'A service that exits without accepting: the queued connection triggers it again and again until the trigger limit',
  files: {
    '/etc/systemd/system/x.socket': xSocket(8080, 'TriggerLimitIntervalSec=10s\nTriggerLimitBurst=3\n'),
    '/etc/systemd/system/x.service': '[Unit]\nDescription=x service\n\n[Service]\nExecStart=/opt/x/x\n',
    '/opt/x/x': exitingProgram(0, 'x: exiting without accept()'),
  },
  // Memory kernel only: on the Node kernel (real processes) how far this race gets before the command after it
  // depends on the machine's load, so its output is not the same from run to run (an open point of the oracle report).
  kernels: ['memory'],
  steps: [
    'systemctl start x.socket',
    { run: 'echo hi | nc -N -w 1 127.0.0.1 8080', timeout: 5000 },
    { sleep: 1500 },
    'systemctl status x.socket',
    'systemctl show -p Result -p ActiveState x.socket',
    'journalctl -u x.socket --no-pager -o cat',
  ],
});

import { PYTHON_ACCEPT_LOOP } from '../real-programs-kit.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'real-python-accept-loop',
  about: 'A python3-systemd service that accepts on fd 3 in a blocking loop serves every connection from one process',
  files: {
    '/etc/systemd/system/py.socket': '[Unit]\nDescription=Python socket\n\n[Socket]\nListenStream=127.0.0.1:8080\n',
    '/etc/systemd/system/py.service': '[Unit]\nDescription=Python service\n\n[Service]\nExecStart=/usr/bin/python3 /opt/py/server.py\n',
    '/opt/py/server.py': PYTHON_ACCEPT_LOOP,
  },
  kernels: ['node'],
  steps: [
    'systemctl start py.socket',
    'echo hi | nc -N 127.0.0.1 8080',
    'echo hi | nc -N 127.0.0.1 8080',
    'echo hi | nc -N 127.0.0.1 8080',
    'systemctl show -p ActiveState,SubState,NRestarts,Result py.service',
    'systemctl is-active py.socket',
    'systemctl stop py.service',
    'systemctl is-active py.socket py.service',
    'echo hi | nc -N 127.0.0.1 8080',
    'systemctl show -p ActiveState,SubState,NRestarts py.service',
    'journalctl -u py.service -u py.socket --no-pager -o cat',
  ],
});

import { PYTHON_BACKEND } from '../real-programs-kit.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'real-socket-proxyd',
  about: 'systemd-socket-proxyd, socket-activated, in front of a plain server that is not',
  files: {
    '/etc/systemd/system/backend.service': '[Unit]\nDescription=Plain backend\n\n[Service]\nType=notify\nExecStart=/usr/bin/python3 /opt/backend.py\n',
    '/etc/systemd/system/proxy.socket': '[Unit]\nDescription=Proxy socket\n\n[Socket]\nListenStream=127.0.0.1:8080\n',
    '/etc/systemd/system/proxy.service': '[Unit]\nDescription=Proxy to the backend\nRequires=backend.service\nAfter=backend.service\n\n[Service]\nExecStart=/lib/systemd/systemd-socket-proxyd 127.0.0.1:8000\n',
    '/opt/backend.py': PYTHON_BACKEND,
  },
  kernels: ['node'],
  steps: [
    'systemctl start proxy.socket',
    'systemctl is-active proxy.socket proxy.service backend.service',
    'curl -s http://127.0.0.1:8080/',
    'curl -s http://127.0.0.1:8080/',
    'systemctl is-active proxy.socket proxy.service backend.service',
    'systemctl show -p ActiveState,SubState proxy.service backend.service',
  ],
});

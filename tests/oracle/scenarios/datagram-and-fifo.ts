import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'datagram-and-fifo',
  about: 'ListenDatagram= and ListenFIFO= sockets: status, list-sockets and the nodes (the Node kernel has stream sockets only)',
  files: {
    '/etc/systemd/system/dg.socket': '[Unit]\nDescription=datagram socket\n\n[Socket]\nListenDatagram=127.0.0.1:5514\n',
    '/etc/systemd/system/dg.service': '[Service]\nExecStart=/opt/x/wait\n',
    '/etc/systemd/system/ff.socket': '[Unit]\nDescription=fifo socket\n\n[Socket]\nListenFIFO=/run/ff.fifo\n',
    '/etc/systemd/system/ff.service': '[Service]\nExecStart=/opt/x/wait\n',
    '/opt/x/wait': { mode: 0o755, content: '#!/usr/bin/env node\nsetTimeout(() => {}, 60000);\n' },
  },
  kernels: ['memory'],
  steps: [
    'systemctl start dg.socket ff.socket',
    'systemctl status dg.socket ff.socket',
    'systemctl list-sockets "dg*" "ff*"',
    'ls -l /run/ff.fifo',
  ],
});

import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'logger-errors',
  about: 'logger -u: a datagram to a socket path, and what it says for a missing path, a stream socket and a FIFO',
  files: {
    '/usr/local/bin/idle': { content: '#!/usr/bin/env node\n// Stays running, reads nothing.\nsetInterval(() => {}, 1 << 30);\n', mode: 0o755 },
    '/etc/systemd/system/dg.socket': '[Socket]\nListenDatagram=/run/dg.sock\n',
    '/etc/systemd/system/dg.service': '[Service]\nExecStart=/usr/local/bin/idle\n',
    '/etc/systemd/system/st.socket': '[Socket]\nListenStream=/run/st.sock\n',
    '/etc/systemd/system/st.service': '[Service]\nExecStart=/usr/local/bin/idle\n',
    '/etc/systemd/system/ff.socket': '[Socket]\nListenFIFO=/run/ff.fifo\n',
    '/etc/systemd/system/ff.service': '[Service]\nExecStart=/usr/local/bin/idle\n',
  },
  kernels: ['memory'],
  steps: [
    'systemctl start dg.socket st.socket ff.socket',
    'logger -u /run/nope hello',
    'logger -u /run/dg.sock hello',
    { waitFor: 'systemctl is-active dg.service', equals: 'active' },
    'systemctl is-active dg.service',
    'logger -u /run/ff.fifo hello',
    'echo pause > /run/ff.fifo',
    { waitFor: 'systemctl is-active ff.service', equals: 'active' },
    'systemctl is-active ff.service',
    'echo hello > /run/dg.sock',
    'logger -u /run/st.sock hello',
    { waitFor: 'systemctl is-active st.service', equals: 'active', timeout: 3000 },
    'systemctl is-active st.service',
  ],
});

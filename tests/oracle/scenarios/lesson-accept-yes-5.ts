import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-accept-yes-5',
  about: 'accept-yes: Service= with Accept=yes is refused; past MaxConnections= a connection is dropped with a warning',
  files: {
    '/etc/systemd/system/named.socket': '[Unit]\nDescription=named socket\n\n[Socket]\nListenStream=127.0.0.1:7002\nAccept=yes\nService=named.service\n',
    '/etc/systemd/system/named.service': '[Service]\nExecStart=/bin/cat\nStandardInput=socket\n',
    '/etc/systemd/system/one.socket': '[Unit]\nDescription=one at a time\n\n[Socket]\nListenStream=127.0.0.1:7003\nAccept=yes\nMaxConnections=1\n',
    '/etc/systemd/system/one@.service': '[Unit]\nDescription=one connection\n\n[Service]\nExecStart=/bin/sleep 3\nStandardInput=socket\n',
  },
  kernels: [],
  steps: [
    'systemctl start named.socket',
    'journalctl -u named.socket -o cat',
    'systemctl start one.socket',
    'setsid -f sh -c "sleep 5 | nc 127.0.0.1 7003" >/dev/null 2>&1',
    { sleep: 500 },
    { run: 'echo second | nc -N -w 2 127.0.0.1 7003', timeout: 5000 },
    'journalctl -u one.socket -o cat',
  ],
});

import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-accept-yes-4',
  about: 'accept-yes: without StandardInput=socket an instance gets the connection as fd 3, LISTEN_FDS=1 and LISTEN_FDNAMES=connection',
  files: {
    '/etc/systemd/system/env.socket': '[Unit]\nDescription=env socket\n\n[Socket]\nListenStream=127.0.0.1:7001\nAccept=yes\n',
    '/etc/systemd/system/env@.service': '[Unit]\nDescription=env connection\n\n[Service]\nExecStart=/bin/sh -c \'env | grep ^LISTEN_ | sort; ls -l /proc/self/fd/3\'\n',
  },
  kernels: [],
  steps: [
    'systemctl start env.socket',
    { run: 'echo hi | nc -N -w 1 127.0.0.1 7001', timeout: 5000 },
    { sleep: 500 },
    "journalctl -u 'env@*' -o cat | grep -v '^Started\\|Deactivated'",
  ],
});

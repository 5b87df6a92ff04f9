import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-accept-yes-1',
  about: 'accept-yes: verify an Accept=yes socket whose template has no ExecStart= yet',
  lab: 'echo-per-connection',
  files: {
    '/etc/systemd/system/echo.socket': '[Unit]\nDescription=Echo server socket\n\n[Socket]\nListenStream=127.0.0.1:7777\nAccept=yes\n\n[Install]\nWantedBy=sockets.target\n',
  },
  steps: ['systemd-analyze verify /etc/systemd/system/echo.socket'],
});

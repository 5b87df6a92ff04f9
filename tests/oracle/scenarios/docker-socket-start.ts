import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'docker-socket-start',
  about: 'The docker lab as it boots: docker.service started with -H unix://, the socket not enabled',
  lab: 'docker-socket',
  steps: [
    { sleep: 500 },
    'systemctl status docker.socket docker.service',
    'systemctl is-enabled docker.socket docker.service',
    'ls -l /run/docker.sock',
  ],
});

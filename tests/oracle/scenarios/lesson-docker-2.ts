import { labSolutionWrites } from '../machine-files.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'lesson-docker-2',
  about: 'docker: with docker.service disabled and docker.socket enabled, dockerd is not running until the first API call starts it',
  lab: 'docker-socket',
  steps: [
    { sleep: 1000 },
    ...labSolutionWrites('docker-socket'),
    'systemctl daemon-reload',
    'systemctl disable docker.service',
    'systemctl is-enabled docker.socket docker.service',
    'systemctl stop docker.service docker.socket',
    'systemctl start docker.socket',
    'systemctl status -n 0 docker.service',
    'curl -s --unix-socket /run/docker.sock http://localhost/_ping',
    { sleep: 300 },
    'systemctl is-active docker.service',
  ],
  kernels: ['memory'],
});

import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'service-user-unknown',
  about: 'User= names a user that does not exist: the start fails at step USER (217)',
  files: {
    '/etc/systemd/system/who.service': '[Unit]\nDescription=who am I\n\n[Service]\nExecStart=/bin/sleep 60\nUser=nosuchuser\n',
  },
  kernels: ['memory'],
  steps: [
    'systemctl start who.service',
    { waitFor: 'systemctl is-active who.service', equals: 'failed' },
    'journalctl -u who.service -o cat',
  ],
});

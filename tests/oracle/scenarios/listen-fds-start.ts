import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'listen-fds-start',
  about: 'The listen-fds lab as it boots: greeter.socket listens, the admin socket is empty',
  lab: 'listen-fds',
  steps: [
    { sleep: 500 },
    'systemctl status greeter.socket greeter-admin.socket',
    "systemctl list-sockets --all 'greeter*'",
    'systemctl show -p Listen -p Accept -p NAccepted greeter.socket',
  ],
});

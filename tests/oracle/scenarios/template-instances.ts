import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'template-instances',
  about: 'A template unit and its instances: start two, status of one, list them, %i in the command line',
  files: {
    '/etc/systemd/system/greet@.service': '[Unit]\nDescription=Greeter for %i\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/opt/x/greet hello %i\n',
    '/opt/x/greet': { mode: 0o755, content: "#!/usr/bin/env node\nconsole.log(process.argv.slice(2).join(' '));\n" },
  },
  steps: [
    'systemctl start greet@alice.service greet@bob.service',
    'systemctl status greet@alice.service',
    'systemctl list-units --all "greet@*"',
    'systemctl is-active greet@alice.service greet@carol.service',
    'systemctl start greet@.service',
    'systemctl status greet@.service',
    'journalctl -u greet@bob.service --no-pager -o cat',
  ],
});

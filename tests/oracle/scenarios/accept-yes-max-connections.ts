import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'accept-yes-max-connections',
  about: 'Accept=yes with MaxConnections=1: one instance per connection, a second connection at the same time is refused',
  files: {
    '/etc/systemd/system/slow.socket': '[Unit]\nDescription=slow socket\n\n[Socket]\nListenStream=127.0.0.1:7000\nAccept=yes\nMaxConnections=1\n',
    '/etc/systemd/system/slow@.service': '[Unit]\nDescription=slow connection\n\n[Service]\nExecStart=/opt/x/slow\nStandardInput=socket\n',
    '/opt/x/slow': { mode: 0o755, content: "#!/usr/bin/env node\nconsole.error('slow: serving');\nsetTimeout(() => { process.stdout.write('bye\\n'); process.exit(0); }, 2000);\n" },
  },
  steps: [
    'systemctl start slow.socket',
    { run: 'echo one | nc -N 127.0.0.1 7000', timeout: 5000 },
    'systemctl show -p NAccepted -p NConnections -p NRefused slow.socket',
    'systemctl list-units --all "slow*"',
    'journalctl -u slow.socket --no-pager -o cat',
  ],
});

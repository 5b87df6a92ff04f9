import { defineScenario } from '../scenario.ts';
import { connect, xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'journalctl-options',
  about: 'journalctl -u with -n, -o cat, -o short (times normalised), several -u, a unit without entries, a bad option',
  files: xFiles(8080),
  steps: [
    'systemctl start x.socket',
    connect(8080),
    { sleep: 500 },
    'systemctl stop x.service',
    'journalctl -u x.service --no-pager -o cat',
    'journalctl -u x.service -n 2 --no-pager -o cat',
    'journalctl -u x.service -u x.socket --no-pager',
    'journalctl -u nothing.service --no-pager',
    'journalctl -u x.socket -o verbose-ish --no-pager',
    'journalctl --unit x.socket --lines=1 --no-pager -o cat',
  ],
});

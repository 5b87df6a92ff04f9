import { defineScenario } from '../scenario.ts';
import { xFiles } from '../scenario-kit.ts';

/** journalctl --since/--until (-S/-U) with the time forms people type. */
export default defineScenario({
  id: 'journalctl-since-until',
  about: 'journalctl --since/--until with relative times, today/yesterday/tomorrow, now, and a timestamp it cannot parse',
  files: xFiles(8080),
  steps: [
    'systemctl start x.socket',
    'journalctl -u x.socket --no-pager -o cat --since "1 hour ago"',
    'journalctl -u x.socket --no-pager -o cat --since today',
    'journalctl -u x.socket --no-pager -o cat -S -10min',
    'journalctl -u x.socket --no-pager -o cat --since yesterday --until now',
    'journalctl -u x.socket --no-pager -o cat --until "1 hour ago"',
    'journalctl -u x.socket --no-pager -o cat --since tomorrow',
    'journalctl -u x.socket --no-pager -o cat -U "2020-01-01 00:00:00"',
    'journalctl -u x.socket --no-pager -o cat --since 2020-01-01',
    'journalctl -u x.socket --no-pager -o cat --since bogus',
    'journalctl -u x.socket --no-pager -o cat --since tomorrow --until yesterday',
  ],
});

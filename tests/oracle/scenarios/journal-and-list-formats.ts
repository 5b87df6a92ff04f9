import { defineScenario } from '../scenario.ts';
import { connect, xFiles } from '../scenario-kit.ts';

/** journalctl's everyday options and the empty forms of the list verbs. */
export default defineScenario({
  id: 'journal-and-list-formats',
  about: 'journalctl -r, -q, -g, -o short/short-iso/json-less forms, -n 0, --since with no match; list-timers, list-sockets, list-units and list-unit-files that match nothing',
  files: xFiles(8080),
  steps: [
    'systemctl start x.socket',
    connect(8080),
    { sleep: 500 },
    'journalctl -u x.socket -u x.service --no-pager -o cat -r',
    'journalctl -u x.socket --no-pager -q',
    'journalctl -u x.socket --no-pager -n 0',
    'journalctl -u x.service --no-pager -o cat -g hello',
    'journalctl -u x.service --no-pager -o cat --grep=Started',
    'journalctl -u x.socket --no-pager -o short',
    'journalctl -u x.socket --no-pager -o cat --output-fields=MESSAGE',
    'journalctl -u x.socket --no-pager -o bogus',
    'journalctl -u nothing.service --no-pager -q',
    'journalctl -n -u x.socket --no-pager -o cat',
    'systemctl list-timers "nothing*"',
    'systemctl list-timers --all "nothing*"',
    'systemctl list-sockets "nothing*"',
    'systemctl list-units --type=service "nothing*"',
    'systemctl list-units --no-legend "x.*"',
    'systemctl list-sockets --no-legend "x*"',
    'systemctl list-unit-files --no-legend "x.*"',
    'systemctl list-unit-files --state=masked "x*"',
    'systemctl --no-pager list-units --state=active "x.*"',
    'systemctl list-units --type=socket --state=listening "x*"',
    'systemctl list-units --type=bogus',
  ],
});

import { defineScenario } from '../scenario.ts';
import { connect, xFiles } from '../scenario-kit.ts';

/** systemctl's smaller verbs and options: usage errors, -P, --property=A,B, kill, reload, cat with a drop-in. */
export default defineScenario({
  id: 'systemctl-misc-verbs',
  about: 'Usage errors, show -P and --property lists, kill and reload of inactive and running units, try-restart, cat of a unit with a drop-in',
  files: {
    ...xFiles(8080),
    '/etc/systemd/system/x.service.d/env.conf': '[Service]\nEnvironment=GREETING=hi\n',
  },
  steps: [
    'systemctl frobnicate x.socket',
    'systemctl start',
    'systemctl --bogus',
    'systemctl -Z',
    'systemctl show -P ActiveState x.socket',
    'systemctl show --property=SubState,ActiveState x.socket',
    'systemctl show --property ActiveState --value x.socket x.service',
    'systemctl kill x.service',
    'systemctl reload x.service',
    'systemctl try-restart x.service',
    'systemctl is-active x.service',
    'systemctl start x.socket',
    connect(8080),
    { sleep: 500 },
    'systemctl reload x.service',
    'systemctl reload-or-restart x.service',
    'systemctl is-active x.service',
    'systemctl cat x.service',
    'systemctl kill -s BOGUS x.service',
    'systemctl stop x.socket x.service',
    'systemctl is-active x.socket x.service',
  ],
});

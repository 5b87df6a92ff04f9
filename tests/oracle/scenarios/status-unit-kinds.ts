import { defineScenario } from '../scenario.ts';

/** systemctl status of unit kinds and states the other scenarios do not show. */
export default defineScenario({
  id: 'status-unit-kinds',
  about: 'status of a target, a oneshot that remains, a unit whose condition failed and a wanted unit that does not exist',
  files: {
    '/opt/x/ok': { content: '#!/usr/bin/env node\nprocess.exit(0);\n', mode: 0o755 },
    '/etc/systemd/system/t.target': '[Unit]\nDescription=test target\n',
    '/etc/systemd/system/ex.service': '[Unit]\nDescription=oneshot that remains\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/opt/x/ok\n',
    '/etc/systemd/system/cond.service': '[Unit]\nDescription=conditional\nConditionPathExists=/nonexistent\n\n[Service]\nExecStart=/opt/x/ok\n',
    '/etc/systemd/system/wanter.service': '[Unit]\nDescription=wanter\nWants=ghost.service\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/opt/x/ok\n',
  },
  steps: [
    'systemctl start t.target',
    'systemctl status t.target',
    'systemctl start ex.service',
    'systemctl status ex.service',
    'systemctl start cond.service',
    'systemctl status cond.service',
    'systemctl show -p ConditionResult -p ActiveState -p SubState cond.service',
    'systemctl start wanter.service',
    'systemctl status ghost.service',
    'systemctl status -n 0 cond.service ghost.service',
    'systemctl status -n 0 ghost.service t.target',
    'systemctl is-active t.target ex.service cond.service ghost.service wanter.service',
    'systemctl list-units --all "t.target" "ex.*" "cond.*" "ghost.*" "wanter.*"',
    'systemctl stop ex.service',
    'systemctl status ex.service',
  ],
});

import { defineScenario } from '../scenario.ts';

/** What the tools say about their versions (what a learner compares with a tutorial). */
export default defineScenario({
  id: 'tool-versions',
  about: 'systemctl, journalctl, systemd-analyze --version and ss -V on Debian 12',
  steps: ['systemctl --version', 'journalctl --version', 'systemd-analyze --version', 'ss -V', 'systemctl show -p Version --value'],
});

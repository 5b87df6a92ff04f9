import { defineScenario } from '../scenario.ts';
import { xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'socket-dependencies',
  about: 'The dependencies a socket unit gets implicitly: show -p of Before/After/Requires/Triggers and list-dependencies',
  files: xFiles(8080),
  steps: [
    'systemctl show -p Triggers -p Before -p Requires -p Wants -p Conflicts x.socket',
    'systemctl show -p TriggeredBy -p After -p Requires x.service',
    'systemctl list-dependencies --plain x.socket',
  ],
});

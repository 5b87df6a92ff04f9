import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'app-db-start',
  about: 'The app-db lab as it boots: nothing started, report.service without its config',
  lab: 'app-db',
  steps: [
    { sleep: 500 },
    'systemctl status app.socket db.socket report.socket',
    "systemctl list-unit-files 'app*' 'db*' 'report*'",
    'systemctl is-enabled app.socket db.socket report.socket',
    'systemctl list-dependencies app.service',
  ],
});

/** The site's only eagerly loaded script: theme switch, search launcher, progress and the menu button. */
import { initNavToggle } from './nav-toggle.ts';
import { initProgressUi } from './progress-ui.ts';
import { initSearchLauncher } from './search-launcher.ts';
import { initThemeSwitch } from './theme.ts';

initThemeSwitch();
initSearchLauncher();
initProgressUi();
initNavToggle();

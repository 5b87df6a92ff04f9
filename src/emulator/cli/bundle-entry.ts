/**
 * Entry of the WebContainer bundle (build-bundle.ts): always runs the CLI, whichever file Node started.
 * The lab's command wrappers (`systemctl` on PATH) import the bundle, so process.argv[1] is the wrapper,
 * not emulator.mjs, and main.ts's "am I the started file" check would not fire.
 */
import { runMainAndExit } from './main.ts';

runMainAndExit(process.argv.slice(2));

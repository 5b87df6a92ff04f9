/** Programs every lab machine has, as Debian 12's systemd package installs them (no lab needs to mount them). */
import type { ProgramFactory } from '../../../service/sandbox.ts';
import { socketProxyd } from './socket-proxyd.ts';

/** Path → program. */
export const systemPrograms: Record<string, ProgramFactory> = {
  '/usr/lib/systemd/systemd-socket-proxyd': socketProxyd,
};

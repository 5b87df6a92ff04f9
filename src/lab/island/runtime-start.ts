/**
 * Starting a lab's runtime, kept out of the island so lab-loader.ts can boot the machine the moment
 * "Start lab" is pressed, while the terminal and editor code is still downloading. Small on purpose:
 * the WebContainer runtime is imported only when it is tried.
 */
import type { LabRuntime } from '../runtime/lab-runtime.ts';
import { detectEnvironment, startRuntime, type RuntimePreference } from '../runtime/choose-runtime.ts';
import { createInPageRuntime, startRuntimeWorker } from '../runtime/in-page/in-page-runtime.ts';
import type { LabPageData } from './lab-page-data.ts';

/** Creates and boots the runtime the learner's preference and the page allow, with `files` mounted. */
export function startLabRuntime(data: LabPageData, preference: RuntimePreference, files: Record<string, string>): Promise<LabRuntime> {
  const environment = { ...detectEnvironment(data.runtimeMode === 'in-page'), forcedReason: data.inPageReason ? `In-page runtime: ${data.inPageReason}` : undefined };
  return startRuntime(data.runtimeMode === 'in-page' ? 'in-page' : preference, environment, files, {
    inPage(info) {
      const worker = startRuntimeWorker();
      return createInPageRuntime({ port: worker, info, hostname: data.hostname, terminate: () => worker.terminate() });
    },
    async webContainer() {
      const { createWebContainerRuntime } = await import('../runtime/webcontainer/webcontainer-runtime.ts');
      return createWebContainerRuntime({
        clientId: data.webContainerClientId,
        emulatorBundleUrl: new URL(data.emulatorBundleUrl, location.href).href,
        hostname: data.hostname,
      });
    },
    async warmWebContainer() {
      const { warmWebContainer } = await import('../runtime/webcontainer/webcontainer-runtime.ts');
      await warmWebContainer(data.webContainerClientId);
    },
  });
}

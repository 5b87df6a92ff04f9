/**
 * Picks the runtime a lab runs on. `auto` (the default) tries a WebContainer when the page is
 * cross-origin isolated and the browser can run one, and falls back to the in-page runtime within
 * 5 s or on any boot error. Whichever runs, RuntimeInfo.reason says which and why, in one sentence.
 */
import type { LabFiles, LabRuntime, RuntimeInfo } from './lab-runtime.ts';

/** What the learner (or the build) asked for. */
export type RuntimePreference = 'auto' | 'in-page' | 'webcontainer';

/** What the page can do. */
export interface RuntimeEnvironment {
  /** `globalThis.crossOriginIsolated`. */
  crossOriginIsolated: boolean;
  /** The browser has what WebContainers need (SharedArrayBuffer, Atomics, module workers). */
  webContainerSupported: boolean;
  /** The site was built with LAB_RUNTIME=in-page, or the lab runs in the page only. */
  forcedInPage: boolean;
  /** Why it is forced, when the lab itself asks for it (default: the LAB_RUNTIME build setting). */
  forcedReason?: string;
}

/** How long `auto` waits for a WebContainer before falling back. */
export const WEBCONTAINER_BOOT_TIMEOUT_MS = 5000;
/**
 * How long a WebContainer the learner chose explicitly may take: a first boot also downloads the
 * container and the emulator bundle, which can exceed auto's 5 s on a slow network.
 */
export const WEBCONTAINER_CHOSEN_TIMEOUT_MS = 60_000;

/** The first runtime to try, and the reason if it is in-page. */
export function planRuntime(
  preference: RuntimePreference,
  environment: RuntimeEnvironment,
): { kind: 'webcontainer' } | { kind: 'in-page'; reason: string } {
  if (environment.forcedInPage) {
    return { kind: 'in-page', reason: environment.forcedReason ?? 'In-page runtime: this site was built with LAB_RUNTIME=in-page.' };
  }
  if (preference === 'in-page') return { kind: 'in-page', reason: 'In-page runtime: you chose it.' };
  if (!environment.crossOriginIsolated) {
    return {
      kind: 'in-page',
      reason: 'In-page runtime: WebContainers need cross-origin isolation, which this page lacks.',
    };
  }
  if (!environment.webContainerSupported) {
    return { kind: 'in-page', reason: 'In-page runtime: this browser cannot run WebContainers.' };
  }
  return { kind: 'webcontainer' };
}

/** What this browser page offers (call in the browser). */
export function detectEnvironment(forcedInPage: boolean): RuntimeEnvironment {
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    webContainerSupported: typeof SharedArrayBuffer !== 'undefined' && typeof Atomics !== 'undefined',
    forcedInPage,
  };
}

/** Factories for both runtimes; each returns an unbooted runtime. */
export interface RuntimeFactories {
  inPage(info: RuntimeInfo): LabRuntime;
  webContainer(): Promise<LabRuntime>;
}

/** Rejects after `ms` with a timeout error. */
function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`it did not boot within ${Math.round(ms / 1000)} s`)), ms),
  );
}

/** Creates and boots the runtime the plan and the environment allow, falling back to in-page. */
export async function startRuntime(
  preference: RuntimePreference,
  environment: RuntimeEnvironment,
  files: LabFiles,
  factories: RuntimeFactories,
  timeoutMs = preference === 'webcontainer' ? WEBCONTAINER_CHOSEN_TIMEOUT_MS : WEBCONTAINER_BOOT_TIMEOUT_MS,
): Promise<LabRuntime> {
  const plan = planRuntime(preference, environment);
  if (plan.kind === 'in-page') {
    const runtime = factories.inPage({ kind: 'in-page', reason: plan.reason });
    await runtime.boot(files);
    return runtime;
  }
  let container: LabRuntime | undefined;
  let gaveUp = false;
  try {
    await Promise.race([
      (async () => {
        container = await factories.webContainer();
        // A container that shows up after the fallback must not keep running unseen.
        if (gaveUp) container.dispose();
        else await container.boot(files);
      })(),
      timeout(timeoutMs),
    ]);
    return container as unknown as LabRuntime;
  } catch (error) {
    gaveUp = true;
    container?.dispose();
    const why = error instanceof Error ? error.message : String(error);
    const runtime = factories.inPage({
      kind: 'in-page',
      reason: `In-page runtime: the WebContainer could not start (${why}), so this lab runs in the page.`,
    });
    await runtime.boot(files);
    return runtime;
  }
}

/**
 * Picks the runtime a lab runs on. No learner waits for a WebContainer: `auto` (the default) boots the
 * in-page runtime at once, and when the page is cross-origin isolated and the browser can run one, warms
 * a WebContainer up in the background afterwards; RuntimeInfo.update then says whether the learner can
 * switch to it (the island re-boots with the learner's files on the new runtime). A WebContainer the
 * learner chose explicitly is booted first, with the in-page runtime as the fallback on any error or after
 * 60 s. Whichever runs, RuntimeInfo.reason says which and why, in one sentence.
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

/**
 * How long a WebContainer the learner chose explicitly may take: a first boot also downloads the
 * container and the emulator bundle, which takes seconds on a slow network.
 */
export const WEBCONTAINER_CHOSEN_TIMEOUT_MS = 60_000;
/** How long the background warm-up of `auto` may take before the lab says it is not coming. */
export const WEBCONTAINER_WARM_TIMEOUT_MS = 60_000;

/** The runtime line while the WebContainer warms up behind an `auto` in-page start. */
export const WARMING_REASON = 'In-page runtime: it starts at once, while a WebContainer warms up in the background for you to switch to under Runtime.';
/** The runtime line once the background WebContainer is ready. */
export const WARM_READY_REASON = 'In-page runtime: it started at once; a WebContainer is ready too — choose it under Runtime to switch, keeping your edits.';

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
  /** Boots the page's WebContainer with no lab on it, so that a later switch only mounts the lab. */
  warmWebContainer?(): Promise<void>;
}

/** Rejects after `ms` with a timeout error. */
function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`it did not boot within ${Math.round(ms / 1000)} s`)), ms),
  );
}

/** Warms the WebContainer up; resolves with the runtime line that says how it went (never rejects). */
async function warmUp(factories: RuntimeFactories, timeoutMs: number): Promise<string> {
  try {
    await Promise.race([factories.warmWebContainer!(), timeout(timeoutMs)]);
    return WARM_READY_REASON;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return `In-page runtime: it starts at once, and the WebContainer could not start here (${why}).`;
  }
}

/** Creates and boots the runtime the plan and the environment allow, falling back to in-page. */
export async function startRuntime(
  preference: RuntimePreference,
  environment: RuntimeEnvironment,
  files: LabFiles,
  factories: RuntimeFactories,
  timeoutMs = WEBCONTAINER_CHOSEN_TIMEOUT_MS,
): Promise<LabRuntime> {
  const plan = planRuntime(preference, environment);
  if (plan.kind === 'in-page') {
    const runtime = factories.inPage({ kind: 'in-page', reason: plan.reason });
    await runtime.boot(files);
    return runtime;
  }
  if (preference === 'auto') {
    // The prompt first; the WebContainer only after it, so the two never compete for the network and CPU.
    let warmed: () => void = () => {};
    const update = new Promise<void>((resolve) => (warmed = resolve)).then(() => warmUp(factories, timeoutMs));
    const info: RuntimeInfo = factories.warmWebContainer
      ? { kind: 'in-page', reason: WARMING_REASON, update }
      : { kind: 'in-page', reason: 'In-page runtime: it starts at once; choose WebContainer under Runtime to run the lab as real Node processes.' };
    const runtime = factories.inPage(info);
    await runtime.boot(files);
    warmed();
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

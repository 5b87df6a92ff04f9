/**
 * The data Lab.astro embeds as JSON in the page, and how the client reads it back. Kept apart from
 * the island so the small loader can boot the runtime before the island's code has arrived.
 */

/** The data Lab.astro embeds as JSON in the page. */
export interface LabPageData {
  id: string;
  title: string;
  lesson: string;
  hostname: string;
  editable: string[];
  openFile: string;
  files: Record<string, string>;
  solution: Record<string, string>;
  /** Command lines that finish the lab once the solution files are in place (labs/<id>/lab.ts solutionSteps). */
  solutionSteps: string[];
  /** `in-page` when the site was built with LAB_RUNTIME=in-page, or the lab needs it (inPageReason). */
  runtimeMode: 'auto' | 'in-page';
  /** The lab's own reason to run in the page only (LabDefinition.inPageOnly). */
  inPageReason?: string;
  /** PUBLIC_WEBCONTAINER_CLIENT_ID at build time, when set. */
  webContainerClientId?: string;
  /** URL of the prebuilt emulator bundle for WebContainers. */
  emulatorBundleUrl: string;
}

/** Reads the lab's JSON block from a `.lab` element. */
export function readLabPageData(root: HTMLElement): LabPageData {
  const block = root.querySelector<HTMLScriptElement>('script[data-lab-data]');
  if (!block) throw new Error('Lab block is missing script[data-lab-data]; src/lab/Lab.astro renders it.');
  const data = JSON.parse(block.textContent ?? '{}') as LabPageData;
  return { ...data, solutionSteps: data.solutionSteps ?? [] };
}

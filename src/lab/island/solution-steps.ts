/**
 * "Show solution"'s command list: the lab's solutionSteps, rendered by Lab.astro (hidden until the
 * solution is shown), each with a "Run" button that types the line into the terminal, and a button
 * that copies them all.
 */

/** The mounted list. */
export interface SolutionStepsPanel {
  show(): void;
  hide(): void;
}

/** Wires the step buttons in `box` (a `[data-lab-solution-box]`); `run` types a line into the terminal. */
export function mountSolutionSteps(box: HTMLElement, options: { run(line: string): void }): SolutionStepsPanel {
  const steps = [...box.querySelectorAll<HTMLElement>('[data-step]')].map((item) => item.dataset.step ?? '');
  const status = box.querySelector<HTMLElement>('[data-step-status]');
  for (const button of box.querySelectorAll<HTMLButtonElement>('[data-step-run]')) {
    button.addEventListener('click', () => {
      const line = button.closest<HTMLElement>('[data-step]')?.dataset.step;
      if (line) options.run(line);
    });
  }
  box.querySelector('[data-step-copy]')?.addEventListener('click', () => {
    navigator.clipboard?.writeText(`${steps.join('\n')}\n`).then(
      () => status && (status.textContent = 'Commands copied.'),
      () => status && (status.textContent = 'Copy failed: select the commands and copy them yourself.'),
    );
  });
  return {
    show: () => {
      box.hidden = steps.length === 0;
    },
    hide: () => {
      box.hidden = true;
    },
  };
}

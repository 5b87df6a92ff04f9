/**
 * Progress on the page: ticks in the sidebar and outline (`[data-progress-slug]`), the mark-done
 * button (`[data-mark-done]`), the landing page counter (`[data-progress-count]`, `progress[data-progress-bar]`)
 * and the reset control (`[data-progress-reset]`).
 */
import { doneLessons, markLessonDone, markLessonNotDone, onProgressChange, resetProgress } from '../progress.ts';

function render(): void {
  const done = doneLessons();
  for (const item of document.querySelectorAll<HTMLElement>('[data-progress-slug]')) {
    const isDone = done.has(item.dataset.progressSlug ?? '');
    item.toggleAttribute('data-done', isDone);
    const label = item.querySelector<HTMLElement>('[data-progress-label]');
    if (label) label.textContent = isDone ? '(done)' : '';
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-mark-done]')) {
    const isDone = done.has(button.dataset.markDone ?? '');
    button.setAttribute('aria-pressed', String(isDone));
    const text = button.querySelector('[data-mark-done-text]');
    if (text) text.textContent = isDone ? 'Lesson done' : 'Mark lesson as done';
  }
  const total = document.querySelectorAll('[data-progress-total] [data-progress-slug]').length;
  const count = [...document.querySelectorAll<HTMLElement>('[data-progress-total] [data-progress-slug]')].filter(
    (item) => item.hasAttribute('data-done'),
  ).length;
  for (const counter of document.querySelectorAll('[data-progress-count]')) {
    counter.textContent = `${count} of ${total} lessons done`;
  }
  for (const bar of document.querySelectorAll<HTMLProgressElement>('progress[data-progress-bar]')) {
    bar.max = total || 1;
    bar.value = count;
  }
  for (const reset of document.querySelectorAll<HTMLButtonElement>('button[data-progress-reset]')) {
    reset.disabled = done.size === 0;
  }
}

/** Renders progress now and after every change; wires the mark-done and reset buttons. */
export function initProgressUi(): void {
  render();
  onProgressChange(render);
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-mark-done]')) {
    button.addEventListener('click', () => {
      const slug = button.dataset.markDone ?? '';
      if (button.getAttribute('aria-pressed') === 'true') markLessonNotDone(slug);
      else markLessonDone(slug);
    });
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-progress-reset]')) {
    button.addEventListener('click', () => {
      if (confirm('Forget which lessons you have done on this device?')) resetProgress();
    });
  }
}

// @ts-check
/**
 * Astro configuration of the course site.
 * - BASE_PATH (env, build time): the sub-path the site is served under, e.g. /training/socket-activation/.
 * - OUT_DIR (env): the build folder, default dist (the browser tests build a sub-path copy into dist-subpath).
 * - CHUNK_GRAPH (env): a folder; the build then writes its chunk graph there (bench/chunk-graph.ts).
 * Code blocks: Expressive Code on Shiki; unit files use Shiki's `systemd` grammar, with aliases.
 */
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import expressiveCode from 'astro-expressive-code';
import { courseSite } from './src/site/integration.ts';
import { emulatorBundle } from './src/lab/runtime/webcontainer/emulator-bundle-integration.ts';
import { normalizeBase } from './src/site/links.ts';
import { chunkGraphPlugin } from './bench/chunk-graph.ts';

const chunkGraph = process.env.CHUNK_GRAPH;

/** The command modules the Worker imports on first use (src/emulator/commands/lazy-command.ts). */
const LAZY_COMMAND = /\/src\/emulator\/commands\/(?!(command-table|index|shell-commands|lazy-command|user-commands)\.ts)/;
/** The commands every lesson has the learner run (systemctl, journalctl, ss, curl, cat, ls, echo…) and their helpers. */
const COMMON_COMMAND = /\/src\/emulator\/commands\/(systemctl|journal|ss|curl|client-connect|builtins)[\w-]*\.ts/;
/**
 * The runtime Worker's chunks: what it boots with, in one file (left to itself, Rolldown cuts the modules the
 * lazy commands share with it into a handful of small files, which compress worse); the common commands in
 * one file, fetched when the first command runs (most learners run them all, and one file compresses better
 * than six); each other command (nc, stat, readlink, logger, rm, systemd-analyze) on its own, when it first runs.
 */
const WORKER_CHUNKS = [
  { name: 'emulator', test: (/** @type {string} */ id) => /\/src\/emulator\//.test(id) && !LAZY_COMMAND.test(id), priority: 2 },
  { name: 'commands', test: COMMON_COMMAND, priority: 1 },
];

export default defineConfig({
  base: normalizeBase(process.env.BASE_PATH),
  outDir: process.env.OUT_DIR ?? './dist',
  trailingSlash: 'always',
  build: { format: 'directory', inlineStylesheets: 'never' },
  devToolbar: { enabled: false },
  vite: {
    plugins: chunkGraph ? [chunkGraphPlugin(chunkGraph, 'page')] : [],
    // ES module Workers (the runtime Worker is created with type: 'module'), so the Worker can split: each
    // command is its own chunk, fetched with import() the first time it runs (src/emulator/commands/lazy-command.ts).
    worker: {
      format: 'es',
      plugins: () => (chunkGraph ? [chunkGraphPlugin(chunkGraph, 'worker')] : []),
      rolldownOptions: { output: { codeSplitting: { groups: WORKER_CHUNKS } } },
    },
  },
  integrations: [
    courseSite(),
    // The WebContainer labs' emulator bundle, written to <outDir>/webcontainer/ by every build.
    emulatorBundle(),
    expressiveCode({
      themes: ['github-light', 'github-dark'],
      // Follow the site's theme switch (html[data-theme]), not only the OS setting.
      useDarkModeMediaQuery: false,
      themeCssSelector: (theme) => `[data-theme='${theme.type}']`,
      shiki: {
        langAlias: { socket: 'systemd', service: 'systemd', path: 'systemd', target: 'systemd', timer: 'systemd' },
      },
      styleOverrides: {
        codeFontFamily: 'ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", Menlo, monospace',
        uiFontFamily: 'inherit',
        borderRadius: '0.4rem',
      },
    }),
    mdx(),
  ],
});

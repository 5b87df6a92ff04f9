/**
 * The one list of accepted differences between real systemd 252 (the golden files) and the emulator, after the
 * normalisation of normalise.ts. Each entry names its scenario, command, stream, the expected (real) and actual
 * (emulator) normalised line — null for a line that only one side prints — and why it is accepted. Entries whose
 * reason starts with "open: manager (seams)" are PID 1 behaviour that helper "seams" owns (src/emulator/manager).
 * tests/oracle/golden.test.ts fails on any other difference and on entries that no longer match anything.
 */
import type { AcceptedDifference } from './compare.ts';

export const acceptedDifferences: AcceptedDifference[] = [];

// What no page handled (a list that failed to load, a server that did not answer): said once, at the app's level,
// in the user's language, rather than leaving a page on "Loading…" without a word.
import { ref } from "vue";
import { describeError } from "./errors.ts";

export const unhandled = ref<string | null>(null);

export function reportUnhandled(e: unknown): void {
  unhandled.value = describeError(e).message;
  console.error(e);
}

// Form state shared by every page: busy flag, the error to show (and on which field), and a success message.
import { ref } from "vue";
import { describeError, type FormError } from "./errors.ts";

export function useForm() {
  const busy = ref(false);
  const error = ref<FormError | null>(null);
  const done = ref<string | null>(null);

  async function submit(action: () => Promise<string | null | void>) {
    if (busy.value) return;
    busy.value = true;
    error.value = null;
    done.value = null;
    try {
      done.value = (await action()) ?? null;
    } catch (e) {
      error.value = describeError(e);
    } finally {
      busy.value = false;
    }
  }

  /** The message for one field, if the last error concerns it. */
  const fieldError = (field: string) => (error.value?.field === field ? error.value.message : null);
  /** The message when the last error concerns no shown field. */
  const generalError = (shown: string[]) => (error.value && !shown.includes(error.value.field ?? "") ? error.value.message : null);

  return { busy, error, done, submit, fieldError, generalError };
}

import { createApp } from "vue";
import "../shared/styles/tokens.css";
import App from "./App.vue";
import { i18n, initialLanguage, setLanguage } from "./i18n.ts";
import { router } from "./router.ts";
import { reportUnhandled } from "./unhandled.ts";

await setLanguage(initialLanguage(), false);
const app = createApp(App);
app.config.errorHandler = (e) => reportUnhandled(e);
window.addEventListener("unhandledrejection", (e) => reportUnhandled(e.reason));
app.use(i18n).use(router).mount("#app");

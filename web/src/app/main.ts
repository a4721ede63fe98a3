import { createApp } from "vue";
import "../shared/styles/tokens.css";
import App from "./App.vue";
import { i18n, initialLanguage, setLanguage } from "./i18n.ts";
import { router } from "./router.ts";

await setLanguage(initialLanguage(), false);
createApp(App).use(i18n).use(router).mount("#app");

// Routes follow Mobilizon's paths, so links in e-mails and habits carry over. Every page is its own chunk.
import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import { session } from "./session.ts";

const routes: RouteRecordRaw[] = [
  { path: "/", name: "home", component: () => import("../features/home/HomePage.vue"), meta: { title: "nav.home" } },
  { path: "/login", name: "login", component: () => import("../features/auth/LoginPage.vue"), meta: { title: "login.title", guest: true } },
  { path: "/register/user", name: "register", component: () => import("../features/auth/RegisterPage.vue"), meta: { title: "register.title", guest: true } },
  { path: "/register/profile/:email", name: "register-profile", component: () => import("../features/auth/RegisterProfilePage.vue"), props: true, meta: { title: "register.profileTitle" } },
  { path: "/resend-instructions/:email?", name: "resend", component: () => import("../features/auth/ResendPage.vue"), props: true, meta: { title: "resend.title" } },
  { path: "/validate/email/:token", name: "validate-email", component: () => import("../features/auth/ValidateEmailPage.vue"), props: true, meta: { title: "validate.emailTitle" } },
  { path: "/validate/:token", name: "validate", component: () => import("../features/auth/ValidatePage.vue"), props: true, meta: { title: "validate.title" } },
  { path: "/password-reset/send/:email?", name: "reset-send", component: () => import("../features/auth/ResetSendPage.vue"), props: true, meta: { title: "reset.sendTitle" } },
  { path: "/password-reset/:token", name: "reset", component: () => import("../features/auth/ResetPage.vue"), props: true, meta: { title: "reset.title" } },
  { path: "/identities", name: "identities", component: () => import("../features/identities/IdentitiesPage.vue"), meta: { title: "identity.listTitle", auth: true } },
  { path: "/identity/create", name: "identity-create", component: () => import("../features/identities/IdentityEditPage.vue"), meta: { title: "identity.createTitle", auth: true } },
  { path: "/identity/update/:identityName", name: "identity-edit", component: () => import("../features/identities/IdentityEditPage.vue"), props: true, meta: { title: "identity.listTitle", auth: true } },
  { path: "/settings", redirect: "/settings/account/general" },
  { path: "/settings/account/general", name: "settings", component: () => import("../features/settings/AccountSettingsPage.vue"), meta: { title: "settings.title", auth: true } },
  { path: "/:pathMatch(.*)*", name: "not-found", component: () => import("../features/home/NotFoundPage.vue"), meta: { title: "errors.notFoundTitle" } },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  if (!session.state.loaded) await session.load();
  if (to.meta.auth && !session.isLoggedIn.value) return { name: "login", query: { redirect: to.fullPath } };
  if (to.meta.guest && session.isLoggedIn.value) return { name: "home" };
  return true;
});

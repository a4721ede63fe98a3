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
  { path: "/search", name: "search", component: () => import("../features/events/SearchPage.vue"), meta: { title: "search.title" } },
  { path: "/events/me", name: "my-events", component: () => import("../features/events/MyEventsPage.vue"), meta: { title: "myEvents.title", auth: true } },
  { path: "/events/create", name: "event-create", component: () => import("../features/events/EventEditPage.vue"), props: { mode: "create" }, meta: { title: "eventForm.createTitle", auth: true } },
  { path: "/events/edit/:uuid", name: "event-edit", component: () => import("../features/events/EventEditPage.vue"), props: (r) => ({ uuid: r.params.uuid, mode: "edit" }), meta: { title: "eventForm.editTitle", auth: true } },
  { path: "/events/duplicate/:uuid", name: "event-duplicate", component: () => import("../features/events/EventEditPage.vue"), props: (r) => ({ uuid: r.params.uuid, mode: "duplicate" }), meta: { title: "eventForm.duplicateTitle", auth: true } },
  { path: "/events/:uuid/participations", name: "event-participants", component: () => import("../features/events/ParticipantsPage.vue"), props: true, meta: { title: "participants.title", auth: true } },
  { path: "/events/:uuid", name: "event", component: () => import("../features/events/EventPage.vue"), props: true, meta: { title: "event.title" } },
  { path: "/participation/email/confirm/:token", name: "anon-confirm", component: () => import("../features/events/AnonymousParticipationPage.vue"), props: (r) => ({ action: "confirm", token: r.params.token }), meta: { title: "anonymous.confirmTitle" } },
  { path: "/participation/email/cancel/:uuid/:token", name: "anon-cancel", component: () => import("../features/events/AnonymousParticipationPage.vue"), props: (r) => ({ action: "cancel", token: r.params.token, uuid: r.params.uuid }), meta: { title: "anonymous.cancelTitle" } },
  { path: "/interact", name: "interact", component: () => import("../features/federation/InteractPage.vue"), meta: { title: "federation.interactTitle" } },
  { path: "/settings/admin/groups", name: "admin-groups", component: () => import("../features/admin/AdminGroupsPage.vue"), meta: { title: "adminGroups.title", auth: true } },
  { path: "/settings/admin/instances", name: "admin-instances", component: () => import("../features/federation/InstancesPage.vue"), meta: { title: "instances.title", auth: true } },
  { path: "/groups/me", name: "my-groups", component: () => import("../features/groups/MyGroupsPage.vue"), meta: { title: "myGroups.title", auth: true } },
  { path: "/groups/create", name: "group-create", component: () => import("../features/groups/GroupEditPage.vue"), meta: { title: "groupForm.createTitle", auth: true } },
  { path: "/@:preferredUsername/settings", redirect: (r) => ({ name: "group-settings", params: r.params }) },
  { path: "/@:preferredUsername/settings/public", name: "group-settings", component: () => import("../features/groups/GroupEditPage.vue"), props: true, meta: { title: "groupForm.settingsTitle", auth: true } },
  { path: "/@:preferredUsername/settings/members", name: "group-members", component: () => import("../features/groups/GroupMembersPage.vue"), props: true, meta: { title: "groupMembers.pageTitle", auth: true } },
  { path: "/@:preferredUsername/settings/followers", name: "group-followers", component: () => import("../features/groups/GroupFollowersPage.vue"), props: true, meta: { title: "groupFollowers.pageTitle", auth: true } },
  { path: "/@:preferredUsername/p", name: "group-posts", component: () => import("../features/groups/GroupPostsPage.vue"), props: true, meta: { title: "posts.pageTitle" } },
  { path: "/@:preferredUsername/p/new", name: "post-create", component: () => import("../features/groups/PostEditPage.vue"), props: true, meta: { title: "posts.newTitle", auth: true } },
  { path: "/p/:slug", name: "post", component: () => import("../features/groups/PostPage.vue"), props: true, meta: { title: "posts.pageTitle" } },
  { path: "/p/:slug/edit", name: "post-edit", component: () => import("../features/groups/PostEditPage.vue"), props: true, meta: { title: "posts.editTitle", auth: true } },
  { path: "/@:preferredUsername/discussions", name: "group-discussions", component: () => import("../features/groups/GroupDiscussionsPage.vue"), props: true, meta: { title: "discussions.pageTitle", auth: true } },
  { path: "/@:preferredUsername/c/:slug", name: "discussion", component: () => import("../features/groups/DiscussionPage.vue"), props: true, meta: { title: "discussions.pageTitle", auth: true } },
  { path: "/@:preferredUsername/resources/:path(.*)*", name: "group-resources", component: () => import("../features/groups/GroupResourcesPage.vue"), props: true, meta: { title: "resources.title", auth: true } },
  { path: "/@:preferredUsername/todo-lists", name: "group-todo-lists", component: () => import("../features/groups/TodoListsPage.vue"), props: true, meta: { title: "todos.pageTitle", auth: true } },
  { path: "/todo-lists/:id", name: "todo-list", component: () => import("../features/groups/TodoListsPage.vue"), props: true, meta: { title: "todos.pageTitle", auth: true } },
  { path: "/@:preferredUsername/timeline", name: "group-timeline", component: () => import("../features/groups/TimelinePage.vue"), props: true, meta: { title: "timeline.pageTitle", auth: true } },
  { path: "/@:preferredUsername", name: "group", component: () => import("../features/groups/GroupPage.vue"), props: true, meta: { title: "group.title" } },
  { path: "/tag/:tag", redirect: (r) => ({ name: "search", query: { tags: String(r.params.tag) } }) },
  { path: "/settings", redirect: "/settings/account/general" },
  { path: "/settings/account/general", name: "settings", component: () => import("../features/settings/AccountSettingsPage.vue"), meta: { title: "settings.title", auth: true } },
  { path: "/:pathMatch(.*)*", name: "not-found", component: () => import("../features/home/NotFoundPage.vue"), meta: { title: "errors.notFoundTitle" } },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (to) => (to.hash ? { el: to.hash, behavior: "smooth" } : { top: 0 }),
});

router.beforeEach(async (to) => {
  if (!session.state.loaded) await session.load();
  if (to.meta.auth && !session.isLoggedIn.value) return { name: "login", query: { redirect: to.fullPath } };
  if (to.meta.guest && session.isLoggedIn.value) return { name: "home" };
  return true;
});

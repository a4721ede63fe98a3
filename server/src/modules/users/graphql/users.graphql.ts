import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import { parseId, parseOptionalId } from "../../../graphql/ids.ts";
import { requireUser, type User } from "../index.ts";

const typeDefs = /* GraphQL */ `
  extend type RootQueryType {
    loggedUser: User
    user(id: ID!): User
    users(email: String = "", currentSignInIp: String, page: Int = 1, limit: Int = 10, sort: SortableUserField = ID, direction: SortDirection = DESC): Users
  }
  extend type RootMutationType {
    createUser(email: String!, password: String!, locale: String): User
    validateUser(token: String!): Login
    resendConfirmationEmail(email: String!, locale: String): String
    sendResetPassword(email: String!, locale: String): String
    resetPassword(token: String!, password: String!, locale: String = "en"): Login
    login(email: String!, password: String!): Login
    refreshToken(refreshToken: String!): RefreshedToken
    logout(refreshToken: String!): String
    changePassword(oldPassword: String!, newPassword: String!): User
    changeEmail(email: String!, password: String!): User
    validateEmail(token: String!): User
    deleteAccount(password: String, userId: ID): DeletedObject
    setUserSettings(timezone: Timezone, notificationOnDay: Boolean, notificationEachWeek: Boolean, notificationBeforeEvent: Boolean, notificationPendingParticipation: NotificationPendingEnum, notificationPendingMembership: NotificationPendingEnum, groupNotifications: NotificationPendingEnum, location: LocationInput): UserSettings
    updateLocale(locale: String): User
    updateActivitySetting(key: String!, method: String!, enabled: Boolean!): ActivitySetting
  }
`;

// A User object is only ever handed to the account itself (loggedUser, login, validateUser, createUser…) or to the
// staff (user, users, Person.user checks it): its fields need no further viewer check.

export const usersSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      loggedUser: (_, __, ctx) => requireUser(ctx.user),
      user: (_, args, ctx) => ctx.services.users.getForStaff(ctx.user, parseId(args.id)),
      users: (_, args, ctx) =>
        ctx.services.users.list(ctx.user, { email: args.email, ip: args.currentSignInIp, page: args.page, limit: args.limit, direction: args.direction }),
    },
    RootMutationType: {
      createUser: (_, args, ctx) => ctx.services.users.register({ email: args.email, password: args.password, locale: args.locale }, ctx.ip),
      validateUser: (_, args, ctx) => ctx.services.users.confirm(args.token),
      resendConfirmationEmail: (_, args, ctx) => ctx.services.users.resendConfirmation(args.email, args.locale),
      sendResetPassword: (_, args, ctx) => ctx.services.users.sendResetPassword(args.email, args.locale),
      resetPassword: (_, args, ctx) => ctx.services.users.resetPassword(args.token, args.password),
      login: (_, args, ctx) => ctx.services.users.login(args.email, args.password, ctx.ip),
      refreshToken: (_, args, ctx) => ctx.services.users.refresh(args.refreshToken),
      logout: (_, args, ctx) => ctx.services.users.logout(ctx.user, args.refreshToken),
      changePassword: (_, args, ctx) => ctx.services.users.changePassword(ctx.user, args.oldPassword, args.newPassword),
      changeEmail: (_, args, ctx) => ctx.services.users.changeEmail(ctx.user, args.email, args.password),
      validateEmail: (_, args, ctx) => ctx.services.users.validateEmail(args.token),
      deleteAccount: (_, args, ctx) =>
        ctx.services.users.deleteAccount(ctx.user, { password: args.password, userId: parseOptionalId(args.userId, "userId") }),
      setUserSettings: (_, args, ctx) => ctx.services.users.setSettings(ctx.user, args),
      updateLocale: (_, args, ctx) => ctx.services.users.updateLocale(ctx.user, args.locale),
      updateActivitySetting: (_, args, ctx) => ctx.services.users.setActivitySetting(ctx.user, { key: args.key, method: args.method, enabled: args.enabled }),
    },
    User: {
      confirmationToken: () => null,
      resetPasswordToken: () => null,
      resetPasswordSentAt: () => null,
      provider: () => null,
      settings: (u: User, _, ctx) => ctx.services.users.settingsFor(ctx.user, u),
      activitySettings: (u: User, _, ctx) => ctx.services.users.activitySettings(ctx.user, u),
    },
    UserSettings: {
      location: (s: { location: unknown }) => s.location,
    },
  },
};

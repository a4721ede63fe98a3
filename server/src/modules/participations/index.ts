/** Taking part in events: join, leave, approve, reject, roles, counts, and the e-mails that go with them. */
export { ParticipationService, UPDATE_NOTICE_DELAY, type ParticipationsDeps } from "./participation.service.ts";
/** Domain events of participations. */
export { ParticipationEvents, type ParticipationEvent } from "./participation.events.ts";
export { visibleStats } from "./participation.policy.ts";
export { GOING, SEATED, ROLES, type Participant, type ParticipantRole, type ParticipantStats } from "./participation.types.ts";
/** New events of groups, told to their members and followers. */
export { GroupEventNotices, GROUP_EVENT_NOTICE_DELAY } from "./group-event.notices.ts";

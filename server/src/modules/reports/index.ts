/** Reports: forwarded by other servers now, made and handled here with moderation. */
export { ReportService, type ReportsDeps } from "./report.service.ts";

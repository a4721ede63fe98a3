import type { Tx } from "../../db/index.ts";
import type { Services } from "../../graphql/context.ts";
import type { Bus } from "../../kernel/index.ts";
import { ParticipationEvents, type ParticipationEvent } from "../../modules/participations/index.ts";
import { CONTEXT } from "../context.ts";
import type { Outbox } from "./outbox.ts";

/**
 * Participations as activities (federation.md §2.3, §2.5): a local person joining or leaving a remote event sends
 * Join or Leave to its organizer; a remote person's participation in a local event is answered by the organizer —
 * Accept when they take a seat (at once for free events, on approval for the others), Reject when declined.
 */
export class ParticipationPublisher {
  private readonly s: Services;
  private readonly outbox: Outbox;
  constructor(d: { services: Services; outbox: Outbox }) {
    this.s = d.services;
    this.outbox = d.outbox;
  }

  listen(bus: Bus<Tx, ParticipationEvent>): void {
    for (const type of Object.values(ParticipationEvents)) bus.on(type, (e, tx) => this.onChange(e, tx));
  }

  private async onChange(e: ParticipationEvent, tx: Tx) {
    const p = e.payload;
    if (p.actorId === null) return;
    const event = await this.s.events.findById(p.eventId, tx);
    if (!event) return;
    const [actor, organizer] = await this.s.actors.findByIds([p.actorId, event.organizerActorId], tx).then((list) => [list.find((a) => a.id === p.actorId), list.find((a) => a.id === event.organizerActorId)]);
    if (!actor || !organizer) return;
    const participant = e.type === ParticipationEvents.Deleted ? null : await this.s.participations.findById(p.participantId, tx);
    const joinId = e.type === ParticipationEvents.Deleted ? e.payload.url : participant?.url;
    if (!joinId) return;
    const join = { id: joinId, type: "Join", actor: actor.url, object: event.url };
    if (!event.local && actor.domain === null) {
      if (e.type === ParticipationEvents.Created)
        await this.outbox.send(tx, { "@context": CONTEXT, ...join, participationMessage: participant?.message ?? undefined, to: [organizer.url], cc: [] }, actor.id, [{ actor: organizer.url }], joinId);
      else if (e.type === ParticipationEvents.Deleted)
        await this.outbox.send(tx, { "@context": CONTEXT, id: `${joinId}/leave`, type: "Leave", actor: actor.url, object: event.url, to: [organizer.url], cc: [] }, actor.id, [{ actor: organizer.url }], joinId);
      return;
    }
    if (event.local && actor.domain !== null && organizer.domain === null) {
      const seated = (r: string) => ["PARTICIPANT", "MODERATOR", "ADMINISTRATOR"].includes(r);
      let verb: "Accept" | "Reject" | null = null;
      if (e.type === ParticipationEvents.Created && seated(e.payload.role)) verb = "Accept";
      if (e.type === ParticipationEvents.Updated && seated(e.payload.to) && !seated(e.payload.from)) verb = "Accept";
      if (e.type === ParticipationEvents.Updated && e.payload.to === "REJECTED") verb = "Reject";
      if (!verb) return;
      const id = `${this.s.urls.base}/${verb.toLowerCase()}/join/${p.participantId}${e.type === ParticipationEvents.Updated ? `-${Date.now()}` : ""}`;
      await this.outbox.send(tx, { "@context": CONTEXT, id, type: verb, actor: organizer.url, object: join, to: [actor.url], cc: [] }, organizer.id, [{ actor: actor.url }], joinId);
    }
  }
}

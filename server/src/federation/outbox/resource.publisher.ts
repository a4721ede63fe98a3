import type { Tx } from "../../db/index.ts";
import type { Services } from "../../graphql/context.ts";
import { newUuid, type Bus } from "../../kernel/index.ts";
import type { Actor } from "../../modules/actors/index.ts";
import { ResourceEvents, type ResourceEvent } from "../../modules/resources/index.ts";
import { TodoEvents, type TodoEvent } from "../../modules/todos/index.ts";
import { CONTEXT, embedded } from "../context.ts";
import { toResourceDocument, toTodo, toTodoList } from "../converters/resource.converter.ts";
import { toTombstone } from "../converters/tombstone.converter.ts";
import type { Outbox } from "./outbox.ts";

/**
 * A group's resources and todos as activities, for its members on other servers only (federation.md §2.3): a
 * resource created at the root → Create, in a folder → Add (`target` = the folder), renamed → Update, moved → Move
 * (`origin`, `target`), deleted → Delete; a todo list or todo created → Create, a todo changed → Update.
 */
export class ResourcePublisher {
  private readonly s: Services;
  private readonly outbox: Outbox;
  constructor(d: { services: Services; outbox: Outbox }) {
    this.s = d.services;
    this.outbox = d.outbox;
  }

  listen(bus: Bus<Tx, ResourceEvent | TodoEvent>): void {
    for (const type of Object.values(ResourceEvents)) bus.on(type, (e, tx) => this.onResource(e as ResourceEvent, tx));
    for (const type of Object.values(TodoEvents)) bus.on(type, (e, tx) => this.onTodo(e as TodoEvent, tx));
  }

  /**
   * Who is told of a change and by whom: in our group, its members elsewhere, by the author when they are ours (by the
   * group when a member elsewhere made it: the group shares it); in a group elsewhere, that group's server, by our
   * person who made it there (the group shares it with its other members). Null when nobody elsewhere is to be told.
   */
  private async audience(tx: Tx, groupId: number, authorId: number): Promise<{ group: Actor; author: Actor; members: { actor: string }[]; membersUrl: string } | null> {
    const [group, author] = await Promise.all([this.s.actors.findById(groupId, tx), this.s.actors.findById(authorId, tx)]);
    if (!group || group.type !== "Group") return null;
    if (group.domain !== null) {
      if (!author || author.domain !== null || author.type !== "Person") return null;
      return { group, author, members: [{ actor: group.url }], membersUrl: group.endpoints?.members ?? group.url };
    }
    const members = (await this.s.members.remoteMemberUrls(groupId, tx)).map((actor) => ({ actor }));
    if (members.length === 0) return null;
    return { group, author: author && author.domain === null ? author : group, members, membersUrl: this.s.urls.collection(group.preferredUsername, "members") };
  }

  private async onResource(e: ResourceEvent, tx: Tx): Promise<void> {
    const p = e.payload;
    const a = await this.audience(tx, p.groupId, p.authorId);
    if (!a) return;
    // In order per group and inbox: a folder reaches each server before what is added to it, a move after both.
    const send = (activity: Record<string, unknown>) => this.outbox.send(tx, { "@context": CONTEXT, ...activity, actor: a.author.url, attributedTo: a.group.url, to: [a.membersUrl], cc: [] }, a.author.id, a.members, `${a.group.url}/resources`);
    if (e.type === ResourceEvents.Deleted) {
      const tombstone = embedded(toTombstone({ uri: p.url, formerType: p.type === "folder" ? "ResourceCollection" : "Document", deletedAt: new Date() }));
      return send({ id: `${p.url}/delete/${newUuid()}`, type: "Delete", object: tombstone });
    }
    const r = await this.s.resources.findById(p.resourceId, tx);
    if (!r) return;
    const parent = r.parentId ? await this.s.resources.findById(r.parentId, tx) : null;
    const folderUrl = parent?.url ?? (a.group.domain === null ? this.s.urls.collection(a.group.preferredUsername, "resources") : `${a.group.url}/resources`);
    const creator = r.creatorId ? await this.s.actors.findById(r.creatorId, tx) : null;
    const object = embedded(toResourceDocument(r, { creatorUrl: creator?.url ?? a.group.url, groupUrl: a.group.url, folderUrl, membersUrl: a.membersUrl }));
    if (e.type === ResourceEvents.Created) return send(parent ? { id: `${r.url}/add`, type: "Add", object, target: parent.url } : { id: `${r.url}/activity`, type: "Create", object });
    if (e.type === ResourceEvents.Moved) return send({ id: `${r.url}/move/${newUuid()}`, type: "Move", object, origin: null, target: folderUrl });
    return send({ id: `${r.url}/updates/${newUuid()}`, type: "Update", object });
  }

  private async onTodo(e: TodoEvent, tx: Tx): Promise<void> {
    const p = e.payload;
    const a = await this.audience(tx, p.groupId, p.authorId);
    if (!a) return;
    const list = await this.s.todos.listById(p.todoListId, tx);
    if (!list) return;
    const send = (id: string, type: string, object: Record<string, unknown>, actor: Actor) =>
      this.outbox.send(tx, { "@context": CONTEXT, id, type, actor: actor.url, object, to: [a.membersUrl], cc: [] }, actor.id, a.members, `${a.group.url}/todos`);
    if (e.type === TodoEvents.ListCreated) {
      const object = embedded(toTodoList(list, { groupUrl: a.group.url, membersUrl: a.membersUrl }));
      // Mobilizon's lists are the group's: ours say so; one our person made in a group elsewhere is sent by them.
      return send(`${list.url}/activity`, "Create", object, a.group.domain === null ? a.group : a.author);
    }
    const todo = await this.s.todos.todoById(e.payload.todoId, tx);
    if (!todo) return;
    const [creator, assignee] = await Promise.all([todo.creatorId ? this.s.actors.findById(todo.creatorId, tx) : null, todo.assignedToId ? this.s.actors.findById(todo.assignedToId, tx) : null]);
    const object = embedded(toTodo(todo, { creatorUrl: creator?.url ?? a.group.url, groupUrl: a.group.url, listUrl: list.url, assigneeUrl: assignee?.url ?? null, membersUrl: a.membersUrl }));
    return send(e.type === TodoEvents.Created ? `${todo.url}/activity` : `${todo.url}/updates/${newUuid()}`, e.type === TodoEvents.Created ? "Create" : "Update", object, a.author);
  }
}

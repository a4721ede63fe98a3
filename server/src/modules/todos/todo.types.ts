import { invalid } from "../../kernel/index.ts";
import { checkTitleText } from "../content/index.ts";

export type TodoList = { id: number; uuid: string; url: string; title: string; groupId: number; insertedAt: Date; updatedAt: Date };
export type Todo = {
  id: number;
  uuid: string;
  url: string;
  title: string;
  status: boolean;
  dueDate: Date | null;
  todoListId: number;
  creatorId: number | null;
  assignedToId: number | null;
  insertedAt: Date;
  updatedAt: Date;
};

export const MAX_TODO_TITLE = 300;

export function checkTodoTitle(raw: string, field = "title"): string {
  return checkTitleText(raw, MAX_TODO_TITLE, field);
}

export function checkDueDate(d: Date | null | undefined): Date | null | undefined {
  if (d == null) return d;
  if (d.getUTCFullYear() < 1900 || d.getUTCFullYear() > 9999) throw invalid("dueDate", "The due date is out of range");
  return d;
}

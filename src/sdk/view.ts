/**
 * What a command hands back to be shown as text. Plugins describe *what* to show
 * (fields, tables); the umbrella decides *how* (cli-table3, colour, width), so
 * plugins never import a terminal library and every command looks alike.
 */

export type Cell = string | number | bigint | boolean | null | undefined;

export interface FieldsView {
  kind: 'fields';
  title?: string;
  fields: readonly (readonly [label: string, value: Cell])[];
}

export interface TableView {
  kind: 'table';
  title?: string;
  columns: readonly string[];
  rows: readonly (readonly Cell[])[];
  /** Text shown instead of the table when there are no rows. */
  empty?: string;
}

export interface NoteView {
  kind: 'note';
  /** One line or several; each line of a warning is marked as one. */
  text: string;
  tone?: 'info' | 'warn';
}

export type View = FieldsView | TableView | NoteView;

export const fields = (title: string | undefined, entries: FieldsView['fields']): FieldsView =>
  title === undefined ? { kind: 'fields', fields: entries } : { kind: 'fields', title, fields: entries };

export const table = (title: string | undefined, columns: readonly string[], rows: TableView['rows'], empty?: string): TableView => ({
  kind: 'table',
  ...(title === undefined ? {} : { title }),
  columns,
  rows,
  ...(empty === undefined ? {} : { empty }),
});

export const note = (text: string, tone: NoteView['tone'] = 'info'): NoteView => ({ kind: 'note', text, tone });

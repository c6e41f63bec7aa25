import { SchemaColumnError, type SchemaError } from '../errors.js';
import type { Cell, Table } from '../table/Table.js';
import { modelledColumns, type Metadata } from './Metadata.js';
import * as msg from '../messages.js';

/** A modelled column that is entirely missing or constant cannot be learned: say so. */
export function checkLearnable(table: Table, metadata: Metadata): void {
  const problems: SchemaError[] = [];
  for (const c of modelledColumns(metadata)) {
    const col = table.columns[table.names.indexOf(c.name)];
    if (!col) continue;
    let first: Cell | undefined;
    let varied = false;
    let present = 0;
    for (const v of col) {
      if (v === null) continue;
      present++;
      if (first === undefined) first = v;
      else if (v !== first) {
        varied = true;
        break;
      }
    }
    const hint = msg.hintDropUnlearnable(c.name);
    if (present === 0) problems.push(new SchemaColumnError(msg.columnEntirelyEmpty(c.name), { location: { file: table.source, column: c.name }, hint }));
    else if (!varied && present === table.rowCount) problems.push(new SchemaColumnError(msg.columnSingleValue(c.name, JSON.stringify(String(first))), { location: { file: table.source, column: c.name }, hint }));
  }
  if (problems.length) throw problems[0]!;
}

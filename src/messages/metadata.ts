/** metadata/: the schema file and its validation, constraints in the schema, reading a table against its schema, schema inference's warnings. Re-exported by ../messages.ts, which call sites import. */

// ---- the schema file (metadata/metadataFile.ts, metadata/validateMetadata.ts) ----------------------------------

export const cannotReadSchemaFile = (file: string): string => `cannot read the schema file ${file}`;
export const HINT_CHECK_PATH = 'check the path';
export const schemaFileNotJson = (why: string): string => `the schema file is not valid JSON: ${why}`;
export const HINT_FIX_JSON_SYNTAX = 'fix the JSON syntax (a trailing comma?)';
export const SCHEMA_NOT_OBJECT = 'the schema must be a JSON object';
export const HINT_WRITE_SCHEMA = 'write one with "privsynth inspect data.csv -o schema.json"';
export const schemaTooManyColumns = (columns: number, max: number): string => `the schema describes ${columns} columns, more than the ${max} privsynth accepts`;
export const HINT_DESCRIBE_OWN_COLUMNS = 'describe only the columns of your table (privsynth inspect data.csv -o schema.json writes one)';
export const moreProblemsNotListed = (more: number): string => `... and ${more} more problem(s) not listed`;

// ---- constraints in the schema (metadata/constraintProblems.ts) ------------------------------------------------

export const CONSTRAINTS_NOT_LIST = '"constraints" must be a list';
export const HINT_CONSTRAINTS_LIST = 'e.g. "constraints": [{"kind": "range", "column": "age", "min": 0}]';
export const constraintNotObject = (where: string): string => `${where} is not an object`;
export const constraintKeyNotColumn = (where: string, kind: string, key: string, shown: string): string => `${where} (${kind}): "${key}" names ${shown}, which is not a column of the schema`;
export const constraintNeedsNumeric = (where: string, kind: string, column: string, type: string): string =>
  `${where} (${kind}): column "${column}" is ${type}; this constraint needs a numeric, integer or datetime column`;
export const rangeBoundNotNumber = (where: string, key: string, datetime: boolean, shown: string): string =>
  `${where} (range): "${key}" must be a number${datetime ? ' or an ISO date' : ''}, got ${shown}`;
export const rangeEmpty = (where: string): string => `${where} (range) gives neither "min" nor "max"`;
export const inequalityOp = (where: string, ops: string, shown: string): string => `${where} (inequality): "op" must be one of ${ops}, got ${shown}`;
export const sumPartsEmpty = (where: string): string => `${where} (sum): "parts" must be a non-empty list of column names`;
export const sumOffsetInvalid = (where: string, shown: string): string => `${where} (sum): "offset" must be a finite number, got ${shown}`;
export const fixedCombinationsColumns = (where: string): string => `${where} (fixedCombinations): "columns" must list at least two column names`;
export const fixedCombinationsAllowed = (where: string, width: number): string => `${where} (fixedCombinations): "allowed" must be a list of combinations, each a list of ${width} strings`;
export const mappingSameColumn = (where: string, column: string): string => `${where} (mapping): "from" and "to" are both "${column}"; a mapping sets one column from another`;
export const mappingMapInvalid = (where: string): string => `${where} (mapping): "map" must be a non-empty object from each value of "from" to the value of "to", both strings`;
export const HINT_MAPPING_MAP = 'e.g. {"kind": "mapping", "from": "education", "to": "education-num", "map": {"Preschool": "1", "1st-4th": "2"}}';
export const mappingValueNotType = (where: string, column: string, type: string, shown: string): string => `${where} (mapping): "${column}" is ${type}, and the map gives it ${shown}`;
export const patternRegexNotString = (where: string): string => `${where} (pattern): "regex" must be a string`;
export const patternRegexInvalid = (where: string, why: string): string => `${where} (pattern): "regex" is not a valid regular expression: ${why}`;
export const constraintKindUnknown = (where: string, shown: string): string => `${where} has kind ${shown}`;
export const hintUseOneOf = (kinds: readonly string[]): string => `use one of: ${kinds.join(', ')}`;
export const constraintNameNotColumn = (where: string, kind: string, shown: string): string => `${where} (${kind}): ${shown} is not a column of the schema`;
export const sumNeedsNumeric = (where: string, kind: string, column: string, type: string): string => `${where} (${kind}): column "${column}" is ${type}; a sum needs numeric columns`;

// ---- a table against its schema (metadata/coerceTable.ts, metadata/checkLearnable.ts) --------------------------

export const dataColumnNotInSchema = (column: string): string => `the data has a column "${column}" that the schema does not describe`;
export const HINT_ADD_TO_SCHEMA = 'add it to the schema (privsynth inspect writes one), or remove it from the data';
export const schemaColumnNotInData = (column: string): string => `the schema names a column "${column}" that is not in the data`;
export const hintDataColumns = (names: readonly string[]): string => `the data's columns are: ${names.join(', ')}. Fix the name in the schema or set its action to "drop"`;
export const cellNotNumber = (shown: string, column: string, type: string): string => `"${shown}" is not a number, but column "${column}" is ${type}`;
export const hintFixNumber = (expects: string | null): string =>
  `fix the value, add its spelling to "missingValues" in the schema if it means missing, or change the column's type to "categorical"${expects !== null ? ` (the column's "numberFormat" expects e.g. ${expects})` : ''}`;
export const cellNotDate = (shown: string, column: string): string => `"${shown}" is not a date/time, but column "${column}" is datetime`;
export const hintWriteDateAs = (format: string): string => `write it as ${format} (the column's "dateFormat"), or change the column type`;
export const HINT_ISO_DATES = 'use ISO 8601 (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS), or change the column type';
export const moreUnreadableValues = (more: number, column: string, type: string): string => `${more} more value(s) in column "${column}" could not be read as ${type}`;
export const hintDropUnlearnable = (column: string): string => `set "action": "drop" for column "${column}" in the schema (privsynth inspect FILE -o schema.json writes one to edit), or remove the column`;
export const columnEntirelyEmpty = (column: string): string => `column "${column}" is entirely empty`;
export const columnSingleValue = (column: string, shown: string): string => `column "${column}" holds the single value ${shown} in every row; there is nothing to learn`;

// ---- schema inference's warnings (metadata/inferMetadata.ts) ---------------------------------------------------

export const SINGLE_VALUE_BESIDES_MISSING = 'the column holds a single value besides missing cells; only whether it is missing carries information';
export const droppedConstant = (reason: string | undefined): string => `${reason}; the synthetic table leaves it out (add it back as a constant column if you need it)`;
export const droppedKeepIt = (reason: string | undefined): string => `${reason}; set "action": "keep" (or "surrogate") in the schema to keep it`;

/** transformers/: the column encoders' refusals (cell kinds, declared categories and bounds, summaries, saved states) and the table encoder's. Re-exported by ../messages.ts, which call sites import. */

// ---- every transformer (transformers/BaseTransformer.ts) -------------------------------------------------------

export const sigmasTooShort = (column: string, entries: number, need: number): string => `column "${column}": sigmas has ${entries} entries, need at least ${need} (one per encoded column)`;
export const transformerStateWrongType = (type: string, expected: string): string => `transformer state of type "${type}" cannot be loaded as ${expected}`;
export const transformerStateVersion = (column: string, version: string, reads: number): string =>
  `transformer state for column "${column}" has version ${version}, this privsynth reads version ${reads}`;
export const missingNotNullable = (column: string, row: number): string => `column "${column}", row ${row}: missing value, but the column is not declared nullable`;
export const HINT_DECLARE_NULLABLE = 'set "nullable": true for this column in the schema so missing values are modelled';
export const cellWrongKind = (column: string, row: number, expected: string, shown: string): string => `column "${column}", row ${row}: expected ${expected}, got ${shown}`;
export const HINT_NUMBER_CELLS =
  'numeric, integer and datetime columns must be typed to numbers (datetimes as epoch milliseconds) before encoding; check the column type in the schema';
export const HINT_STRING_CELLS = 'categorical and boolean columns must hold strings; check the column type in the schema';
export const transformerStateField = (type: string, column: string, field: string, shown: string | undefined): string =>
  `transformer state ${type} for column "${column}": field "${field}" is invalid (${shown})`;
export const HINT_MODEL_FILE_EDITED = 'the model file is damaged or was edited by hand; re-fit the model';
export const HINT_MODEL_FILE_DAMAGED = 'the model file is damaged; re-fit the model';

// ---- categorical columns (transformers/OneHotEncoder.ts) -------------------------------------------------------

export const noCategoriesDeclared = (column: string): string => `column "${column}": no categories declared in the schema`;
export const HINT_LIST_CATEGORIES = 'list the categories in the schema';
export const categoriesNotPublic = (column: string): string =>
  `column "${column}": categories in the schema were read from the data (public is not true), so using them is not free`;
export const HINT_DECLARE_CATEGORIES_PUBLIC = 'declare them public ("public": true) if they are public knowledge, or fit from a differentially private summary';
export const categoriesFrequenciesDiffer = (column: string, categories: number, frequencies: number): string => `column "${column}": ${categories} categories but ${frequencies} frequencies`;
export const frequenciesNotFinite = (column: string): string => `column "${column}": frequencies must be finite numbers`;
export const noCategoriesEmptyColumn = (column: string): string => `column "${column}": no categories to encode (the column is empty)`;
export const categoryNotString = (column: string, shown: string): string => `column "${column}": category ${shown} is not a string`;
export const categoryListedTwice = (column: string, category: string): string => `column "${column}": category "${category}" is listed twice`;
export const noCategoriesToEncode = (column: string): string => `column "${column}": no categories to encode`;
export const unknownCategory = (column: string, row: number, value: string): string => `column "${column}", row ${row}: unknown category "${value}"`;
export const hintKnownCategories = (known: readonly string[]): string =>
  `known categories: ${known.slice(0, 10).map((c) => JSON.stringify(c)).join(', ')}${known.length > 10 ? ', …' : ''}; add it to the schema or use unknown: 'other'`;

// ---- numeric and datetime columns (transformers/ClusterBasedNormalizer.ts, DatetimeTransformer.ts) --------------

export const numericSummaryInvalid = (column: string, what: string): string => `column "${column}": numeric summary ${what}`;
export const HINT_NUMERIC_SUMMARY = 'build the summary from finite bounds and a histogram of the column';
export const summaryWeightsDiffer = (points: number, weights: number): string => `needs as many weights as points (got ${points} points, ${weights} weights)`;
export const summaryBoundsInvalid = (min: number, max: number): string => `has invalid bounds [${min}, ${max}]`;
export const summaryNotFinite = (index: number): string => `has a non-finite point or weight at index ${index}`;
export const SUMMARY_NO_POSITIVE_WEIGHT = 'has no positive weight (all counts are zero or negative after noise)';
export const emptyNumericColumn = (column: string): string => `column "${column}": cannot fit on an empty column`;
export const declaredBoundsEmpty = (column: string, min: number, max: number): string => `column "${column}": declared bounds [${min}, ${max}] are empty`;
export const HINT_FIX_BOUNDS = 'fix min/max in the schema';
export const schemaBoundNotFinite = (column: string, which: string, shown: string): string => `column "${column}": schema ${which} ${shown} is not a finite number`;
export const decimalsInvalid = (column: string, decimals: number): string => `column "${column}": decimals must be an integer in [0, 15], got ${decimals}`;
export const schemaBoundNotDate = (column: string, which: string, shown: string): string => `column "${column}": schema ${which} ${shown} is not an ISO date/time or epoch milliseconds`;
export const HINT_DATE_BOUNDS = 'write bounds as e.g. "2020-01-31" or "2020-01-31T12:00:00Z"';

// ---- missing values (transformers/MissingIndicator.ts) ---------------------------------------------------------

export const everyValueMissing = (column: string): string => `column "${column}": every value is missing, nothing to fit`;
export const HINT_DROP_OR_CONSTANT = 'drop the column ("action": "drop") or give it a constant';

// ---- the table encoder (transformers/TableEncoder.ts) -----------------------------------------------------------

export const columnLengthDiffers = (column: string, cells: number, rows: number): string => `column "${column}" has ${cells} cells but the table has ${rows} rows`;
export const decodeBufferTooSmall = (floats: number, rows: number, width: number): string => `decode: ${floats} floats cannot hold ${rows} rows of width ${width}`;
export const decodeSigmasLength = (entries: number, width: number): string => `decode: sigmas has ${entries} entries, expected ${width} (one per encoded column)`;
export const decodeDrawsTooSmall = (floats: number, rows: number, spans: number): string => `decodeDraws: ${floats} floats cannot hold ${rows} rows of ${spans} spans`;
export const notTableEncoderState = (kind: string | undefined): string => `not a table encoder state (kind ${kind})`;
export const tableEncoderVersion = (version: string, reads: number): string => `table encoder state version ${version}, this privsynth reads version ${reads}`;
export const TABLE_ENCODER_NO_TRANSFORMERS = 'table encoder state has no transformers list';
export const schemaColumnNotInTable = (column: string, source: string | undefined): string => `column "${column}" is in the schema but not in the table${source ? ` ${source}` : ''}`;

// ---- the transformer registry (transformers/registry.ts) --------------------------------------------------------

export const unknownColumnType = (column: string, shown: string | undefined): string => `column "${column}": unknown column type ${shown}`;
export const transformerStateNotObject = (shown: string | undefined): string => `transformer state must be an object, got ${shown}`;
export const transformerStateNoColumn = (type: string | undefined): string => `transformer state of type ${type} has no column name`;
export const unknownTransformerType = (type: string | undefined, column: string, known: readonly string[]): string =>
  `unknown transformer type ${type} for column "${column}"; known types: ${known.join(', ')}`;
export const HINT_OTHER_VERSION_OR_EDITED = 'the model was saved by a different privsynth version or edited by hand; re-fit the model';

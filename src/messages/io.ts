/** io/: where outputs go (the output-location and output-exists checks, the output format). Re-exported by ../messages.ts, which call sites import. */

// ---- where outputs go (io/checkOutputLocation.ts, io/assertOutputAvailable.ts, io/TableWriter.ts) ----------

export const cannotWrite = (flag: string, target: string, why: string): string => `cannot write ${flag} ${target}: ${why}`;
export const ancestorIsFile = (dir: string): string => `${dir} is a file, not a directory`;
export const hintDirectoriesOnly = (example: string): string => `choose an output path whose folders are directories (e.g. ${example})`;
export const parentMissing = (parent: string): string => `the directory ${parent} does not exist`;
export const hintMkdir = (parent: string, flag: string): string => `create it first (mkdir -p ${JSON.stringify(parent)}), or choose another ${flag}`;
export const FILE_TARGET_IS_DIRECTORY = 'it is a directory, and a file is written there';
export const hintGiveFileName = (example: string): string => `give a file name, e.g. ${example}`;
export const DIRECTORY_TARGET_IS_FILE = 'it is a file, and a directory is written there';
export const hintAnotherDirectory = (flag: string): string => `choose another ${flag} directory`;
export const noPermission = (parent: string): string => `no permission to create files in ${parent}`;
export const readOnly = (parent: string): string => `${parent} is on a read-only filesystem`;
export const noNewFiles = (parent: string): string => `${parent} does not accept new files (a virtual filesystem such as /proc or /sys?)`;
export const cannotCreateFiles = (parent: string, code: string): string => `files cannot be created in ${parent} (${code})`;
export const HINT_WRITABLE_LOCATION = 'choose an output location you can write to (e.g. in your home directory or the current directory)';
export const cannotCreateDirectory = (dir: string, code: string): string => `cannot create the directory ${dir} (${code})`;
export const HINT_WRITABLE = 'choose an output location you can write to';
export const hintReplace = (alternative: string): string => `choose ${alternative}, or pass --force to replace it`;
export const hintChoose = (alternative: string): string => `choose ${alternative}`;
export const existsAsFile = (target: string): string => `${target} exists and is a file, not a directory`;
export const outputNotEmpty = (noun: string, target: string): string => `${noun} ${target} already exists and is not empty`;
export const outputExists = (noun: string, target: string): string => `${noun} ${target} already exists`;
export const unknownOutputFormat = (file: string): string => `cannot tell the output format of ${file} from its extension`;
export const HINT_OUTPUT_FORMATS = 'use .csv, .jsonl or .parquet';

// ---- reading tables (io/readTable.ts) ------------------------------------------------------------------------

export const cannotFindFile = (file: string): string => `cannot find the file ${file}`;
export const HINT_CHECK_RELATIVE_PATH = 'check the path (it is relative to the current directory)';
export const inputIsDirectory = (file: string): string => `${file} is a directory, not a table file`;
export const unknownInputFormat = (file: string): string => `cannot tell the format of ${file} from its extension`;
export const HINT_INPUT_FORMATS = 'use .csv, .tsv, .parquet, .json or .jsonl';
export const headerButNoRows = (file: string): string => `the table in ${file} has a header but no data rows`;
export const HINT_NEEDS_ROWS = 'privsynth needs real rows to learn from';
export const csvTooLarge = (file: string, mib: string, max: number): string => `${file} is ${mib} MiB, more than the ${max} MiB the CSV reader can hold`;
export const HINT_CONVERT_TO_PARQUET = 'convert it to Parquet (e.g. duckdb -c "COPY (FROM \'in.csv\') TO \'in.parquet\'") or select the rows and columns you need';
export const cannotReadAs = (file: string, format: string, why: string | undefined): string => `cannot read ${file} as ${format}: ${why}`;
export const hintValidFormat = (format: string): string => `check that the file is a valid ${format} file`;
export const dateOutOfRange = (column: string | undefined, row: number, type: string): string =>
  `column "${column}", row ${row}: ${type} value outside the range of a JavaScript date (years -271821 to 275760)`;
export const HINT_REPLACE_OR_CAST = 'replace the value, or cast the column to a string before writing the file';

// ---- the CSV parser (io/parseCsv.ts) -------------------------------------------------------------------------

export const notUtf8OnLine = (line: number): string => `the file is not valid UTF-8 (first bad bytes on line ${line})`;
export const HINT_SAVE_UTF8_ICONV = 'save the file as UTF-8 (e.g. "iconv -f latin1 -t utf-8 in.csv > out.csv") and try again';
export const NOT_UTF8 = 'the file is not valid UTF-8';
export const HINT_SAVE_UTF8 = 'save the file as UTF-8 and try again';
export const nulByte = (line: number): string => `the file contains a NUL byte on line ${line}; it is probably not a text CSV file`;
export const HINT_EXPORT_PLAIN_CSV = 'export the table as a plain UTF-8 CSV (or Parquet) and try again';
export const delimiterNotOneChar = (shown: string): string => `the delimiter must be one character, got ${shown}`;
export const headerTooWide = (width: number, max: number): string => `the header has ${width} columns, more than the ${max} privsynth accepts`;
export const HINT_SELECT_COLUMNS = 'select the columns you need before synthesising';
export const headerColumnEmpty = (column: number): string => `header column ${column} has an empty name`;
export const HINT_NAME_EVERY_COLUMN = 'give every column a name in the first line of the file';
export const headerNamesTwice = (name: string, first: number, second: number): string => `the header names column "${name}" twice (columns ${first} and ${second})`;
export const HINT_RENAME_ONE = 'rename one of the two columns so every name is unique';
export const rowWidthDiffers = (row: number, line: number, fields: number, width: number): string =>
  `row ${row} (line ${line}) has ${fields} field${fields === 1 ? '' : 's'}, but the header has ${width}`;
export const HINT_CHECK_DELIMITERS = 'check that row for a missing or extra delimiter, or an unquoted delimiter inside a value';
export const quoteNeverClosed = (line: number): string => `a quoted field that starts on line ${line} is never closed`;
export const HINT_CLOSE_QUOTE = 'close the quote, or double it ("") if it belongs inside the value';
export const textAfterQuote = (line: number): string => `unexpected text after a closing quote on line ${line}`;
export const HINT_DOUBLE_QUOTES = 'a quote inside a quoted value must be doubled ("")';
export const quoteInUnquotedField = (line: number): string => `a quote in the middle of an unquoted field on line ${line}`;
export const HINT_QUOTE_WHOLE_VALUE = 'quote the whole value and double the quotes inside it';
export const FILE_EMPTY_NO_HEADER = 'the file is empty: no header line';
export const HINT_CSV_WITH_HEADER = 'pass a CSV with a header line and data rows';
export const fieldTooLong = (max: number): string => `a field is longer than ${max} characters`;
export const HINT_UNCLOSED_QUOTE = 'check for an unclosed quote; privsynth does not synthesise fields this large';

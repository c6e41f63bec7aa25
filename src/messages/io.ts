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

/**
 * The command line `run` records, with anything that looks like a secret masked:
 * logs get shared, pasted into issues and pushed to metrics stacks.
 */

const MASK = '***';
/** Option names that carry secrets: --token, --api-key, --password, --client-secret, --auth, ... */
const SECRET_OPTION = /^--?[\w.-]*(token|passw(or)?d|secret|api[-_]?key|auth(?!or)|credential|private[-_]?key)[\w.-]*$/i;
/** Environment-style assignments: NPM_TOKEN=..., API_KEY=... (any upper-case NAME=value). */
const ASSIGNMENT = /^([A-Z_][A-Z0-9_]*)=(.+)$/s;
/** Credentials inside a URL: https://user:password@host. */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:)([^/@\s]+)(@)/i;

/**
 * @example maskSecrets(['deploy', '--token=abc', '--password', 'hunter2', 'NPM_TOKEN=xyz'])
 *          // ['deploy', '--token=***', '--password', '***', 'NPM_TOKEN=***']
 */
export function maskSecrets(argv: string[]): string[] {
  return argv.map((arg, i) => {
    const previous = argv[i - 1];
    if (previous !== undefined && SECRET_OPTION.test(previous) && !arg.startsWith('-')) return MASK;
    const equals = arg.indexOf('=');
    if (arg.startsWith('-') && equals > 0 && SECRET_OPTION.test(arg.slice(0, equals))) return `${arg.slice(0, equals + 1)}${MASK}`;
    const assignment = ASSIGNMENT.exec(arg);
    if (assignment) return `${assignment[1]}=${MASK}`;
    return arg.replace(URL_PASSWORD, `$1${MASK}$3`);
  });
}

/** Joins arguments the way a shell user would type them, quoting where needed. */
export function formatCommand(argv: string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(' ');
}

/** URLs the tools will fetch: health checks and pushes speak HTTP only. */
export function isHttpUrl(text: string): boolean {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  return url?.protocol === 'http:' || url?.protocol === 'https:';
}

export const HTTP_URL_HINT = 'an http:// or https:// URL';

/** Pushgateway job names go into a URL path: keep them plain. */
export const JOB_NAME = /^[\w.-]+$/;
export const JOB_NAME_HINT = 'a job name (letters, digits, _ . -)';

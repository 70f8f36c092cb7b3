// fetch() that always resolves to parsed JSON or throws an ApiError with a code and a message.

export class ApiError extends Error {
  constructor(code, message, { status = 0, retryAfterSeconds = null, title = null, transient = true } = {}) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = status
    this.retryAfterSeconds = retryAfterSeconds
    this.title = title
    this.transient = transient
    this.receivedAt = Date.now() // with retryAfterSeconds, when trying again makes sense
  }
}

// A forced refresh carries this header: a cross-site page cannot send it without a CORS preflight.
export const REFRESH_HEADER = 'X-Dashboard-Refresh'

export async function fetchJson(url, { signal, fetcher = globalThis.fetch, refresh = false } = {}) {
  let response
  const headers = { Accept: 'application/json' }
  if (refresh) headers[REFRESH_HEADER] = '1'
  const target = refresh ? `${url}${url.includes('?') ? '&' : '?'}refresh=1` : url
  try {
    response = await fetcher(target, { signal, headers })
  } catch (error) {
    if (error?.name === 'AbortError') throw error
    throw new ApiError('api_unreachable', 'Cannot reach the dashboard API.', { transient: true })
  }
  let body = null
  try {
    body = await response.json()
  } catch {
    body = null
  }
  if (!response.ok) {
    const error = body?.error
    if (error?.code && error?.message) {
      throw new ApiError(error.code, error.message, {
        status: response.status,
        retryAfterSeconds: error.retry_after_seconds ?? null,
        title: error.title ?? null,
        transient: error.transient ?? true,
      })
    }
    throw new ApiError('http_error', `The dashboard API answered HTTP ${response.status}.`, { status: response.status })
  }
  if (body === null || typeof body !== 'object') {
    throw new ApiError('bad_response', 'The dashboard API answered with something that is not JSON.', { status: response.status })
  }
  return body
}

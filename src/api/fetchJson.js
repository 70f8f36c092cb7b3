// fetch() that always resolves to parsed JSON or throws an ApiError with a code and a message.

export class ApiError extends Error {
  constructor(code, message, { status = 0, retryAfterSeconds = null } = {}) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = status
    this.retryAfterSeconds = retryAfterSeconds
  }
}

export async function fetchJson(url, { signal, fetcher = globalThis.fetch } = {}) {
  let response
  try {
    response = await fetcher(url, { signal, headers: { Accept: 'application/json' } })
  } catch (error) {
    if (error?.name === 'AbortError') throw error
    throw new ApiError(
      'api_unreachable',
      'Cannot reach the dashboard API. Is it running? Start it with `make dev` (or `python run_api.py`).',
    )
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
      throw new ApiError(error.code, error.message, { status: response.status, retryAfterSeconds: error.retry_after_seconds ?? null })
    }
    throw new ApiError('http_error', `The dashboard API answered HTTP ${response.status}.`, { status: response.status })
  }
  if (body === null || typeof body !== 'object') {
    throw new ApiError('bad_response', 'The dashboard API answered with something that is not JSON.', { status: response.status })
  }
  return body
}

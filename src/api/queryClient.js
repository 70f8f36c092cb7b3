// The API caches upstream answers itself; the page refetches on its own schedule, never on focus.
export const QUERY_DEFAULTS = {
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 } },
}

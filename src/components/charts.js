// Recharts lives in its own chunk: the numbers paint first, the charts follow.
import { lazy } from 'react'

export const SpendChart = lazy(() => import('./SpendChart.jsx'))
export const ModelChart = lazy(() => import('./ModelChart.jsx'))
export const TrendChart = lazy(() => import('./TrendChart.jsx'))

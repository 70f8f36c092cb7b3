import { createContext, useContext } from 'react'

// True once every card has its first answer: charts and history wait for it, numbers never do.
export const ChartsReadyContext = createContext(true)

export function useChartsReady() {
  return useContext(ChartsReadyContext)
}

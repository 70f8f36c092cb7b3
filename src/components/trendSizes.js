// Shared by the trend placeholder and the trend itself, so swapping one for the other never shifts.
export const HEIGHT = 110
export const HEADER_HEIGHT = 28

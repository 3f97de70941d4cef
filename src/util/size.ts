/** Sizes for people, in decimal units as `ls -h --si` and file managers show them (1 KB = 1000 bytes). */
const UNITS = ['KB', 'MB', 'GB', 'TB'] as const

/** The value scaled below 1000 and its unit, or the unit undefined below 1000 bytes. */
function scale(bytes: number): {unit: string | undefined; value: number} {
  let value = bytes
  let unit = -1
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000
    unit++
  }

  return {unit: UNITS[unit], value}
}

/** 980 B, 12.3 KB, 120 MB, 1.4 GB: progress lines and summaries. */
export function formatSize(bytes: number): string {
  const {unit, value} = scale(bytes)
  return unit === undefined ? `${bytes} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`
}

/** 12 bytes, 400.5 KB, 1.2 MB: BagIt's Bag-Size (one decimal always, as bags made by convoshift have always said). */
export function bagSize(bytes: number): string {
  const {unit, value} = scale(bytes)
  return unit === undefined ? `${bytes} bytes` : `${value.toFixed(1)} ${unit}`
}

/**
 * FNV-1a over the id's UTF-16 code units, as a partition number: stable across runs and platforms, so the disk
 * partitions (and the order they are read in) are the same for the same inputs.
 */
export function partitionOf(id: string, partitions: number): number {
  let hash = 0x81_1c_9d_c5
  for (let i = 0; i < id.length; i++) {
    // eslint-disable-next-line no-bitwise, unicorn/prefer-code-point -- FNV-1a is defined on code units and xor
    hash = Math.imul(hash ^ id.charCodeAt(i), 0x01_00_01_93)
  }

  // eslint-disable-next-line no-bitwise -- the unsigned 32-bit value
  return (hash >>> 0) % partitions
}

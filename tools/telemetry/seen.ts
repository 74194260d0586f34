/**
 * A set of (message id, request id) pairs already counted, for deduplicating
 * assistant transcripts across every file read.
 *
 * A `Set<string>` of the ids costs about 80 bytes per response and would make
 * memory grow with the logs; this keeps a 64-bit hash of each pair in a flat
 * open-addressing table instead: 8 bytes per slot, at most half full. Two
 * different pairs share a hash with odds of about n²/2⁶⁵ (one in 37 million
 * for a million responses), in which case the second one is not counted.
 */
export class SeenPairs {
  /** Two Int32 halves per slot; (0, 0) marks an empty slot. */
  private table = new Int32Array(2 * 1024);
  private size = 0;

  /** Records the pair; true when it was not seen before. */
  add(first: string, second: string): boolean {
    let high = 0x811c9dc5 | 0;
    let low = 0x9e3779b9 | 0;
    for (const part of [first, second]) {
      for (let i = 0; i < part.length; i++) {
        const code = part.charCodeAt(i);
        high = Math.imul(high ^ code, 0x01000193);
        low = Math.imul(low ^ code, 0x5bd1e995);
        low ^= low >>> 15;
      }
      // A separator, so ("ab", "c") and ("a", "bc") differ.
      high = Math.imul(high ^ 0xff, 0x01000193);
      low = Math.imul(low ^ 0xff, 0x5bd1e995);
    }
    if (high === 0 && low === 0) low = 1;
    if (this.insert(this.table, high, low)) {
      this.size += 1;
      if (this.size * 2 > this.table.length / 2) this.grow();
      return true;
    }
    return false;
  }

  private insert(table: Int32Array, high: number, low: number): boolean {
    const mask = table.length / 2 - 1;
    for (let slot = (high ^ Math.imul(low, 0x27d4eb2d)) & mask; ; slot = (slot + 1) & mask) {
      const h = table[2 * slot]!;
      const l = table[2 * slot + 1]!;
      if (h === 0 && l === 0) {
        table[2 * slot] = high;
        table[2 * slot + 1] = low;
        return true;
      }
      if (h === high && l === low) return false;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0 || old[i + 1] !== 0) this.insert(this.table, old[i]!, old[i + 1]!);
    }
  }
}

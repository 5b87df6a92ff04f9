/** Column layout shared by systemctl's and ss's tables: left-aligned, padded, one space apart. */

/** Lays out rows (the first may be a header) with every column but the last padded to its widest cell. */
export function formatTable(rows: string[][], options: { rightAlign?: number[] } = {}): string[] {
  if (rows.length === 0) return [];
  const columns = Math.max(...rows.map((r) => r.length));
  const widths: number[] = [];
  for (let c = 0; c < columns; c++) widths.push(Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows.map((row) =>
    row
      .map((cell, c) => {
        if (c === row.length - 1 && !options.rightAlign?.includes(c)) return cell;
        const pad = ' '.repeat(widths[c] - [...cell].length);
        return options.rightAlign?.includes(c) ? pad + cell : cell + pad;
      })
      .join(' ')
      .replace(/\s+$/, ''),
  );
}

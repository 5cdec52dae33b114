/** A table row standing in for rows that are not mounted, keeping the scroll height. */
export function SpacerRow({ height, colSpan }: { height: number; colSpan: number }) {
  return height > 0 ? (
    <tr aria-hidden style={{ height }}>
      <td colSpan={colSpan} />
    </tr>
  ) : null;
}

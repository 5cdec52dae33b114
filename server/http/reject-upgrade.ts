/**
 * Answers a raw upgrade socket (no HTTP response object exists after the
 * "upgrade" event) with a bodiless HTTP error and closes it.
 */
import type { Duplex } from "node:stream";

export function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  // A client that never reads would keep a half-closed socket open.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

/**
 * A WebSocket relay between a browser client and the gateway that can lose,
 * hold back (reorder) and cut frames, and refuse new connections for a while
 * (an outage longer than a topic's linger). Frames are relayed whole, so
 * the faults are at the WebSocket message level, where the client's sequence
 * checks work.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";

export type FrameVerdict = "pass" | "drop" | "hold";

export interface FrameProxy {
  /** ws://127.0.0.1:<port>/ws: point the client here. */
  url: string;
  /** Connections accepted so far. */
  connections: number;
  /** Decides each gateway → browser frame; held frames wait for `release()`. Default: pass. */
  filter: ((text: string) => FrameVerdict) | null;
  /** Sends the held frames now, after whatever passed meanwhile (a reordering). */
  release(): void;
  /** While true, new connections are refused at the TCP level. */
  refusing: boolean;
  /** Cuts every open link (both ends). */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startFrameProxy(gatewayUrl: string): Promise<FrameProxy> {
  const server: Server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => [...protocols][0] ?? false,
  });
  const links = new Set<{ browser: WebSocket; gateway: WebSocket }>();
  const held: Array<{ browser: WebSocket; text: string }> = [];

  const proxy: FrameProxy = {
    url: "",
    connections: 0,
    filter: null,
    refusing: false,
    release() {
      for (const { browser, text } of held.splice(0))
        if (browser.readyState === WebSocket.OPEN) browser.send(text);
    },
    dropAll() {
      for (const link of links) {
        link.browser.terminate();
        link.gateway.terminate();
      }
      links.clear();
      held.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        proxy.dropAll();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  server.on("upgrade", (request, socket, head) => {
    if (proxy.refusing) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (browser) => {
      proxy.connections += 1;
      const query = (request.url ?? "").split("?")[1];
      const headers: Record<string, string> = {};
      for (const name of ["origin", "cookie"]) {
        const value = request.headers[name];
        if (typeof value === "string") headers[name] = value;
      }
      const gateway = new WebSocket(
        query ? `${gatewayUrl}?${query}` : gatewayUrl,
        browser.protocol ? [browser.protocol] : [],
        { headers },
      );
      const link = { browser, gateway };
      links.add(link);
      const pending: string[] = [];
      const end = () => {
        links.delete(link);
        browser.terminate();
        gateway.terminate();
      };
      browser.on("message", (data) => {
        const text = data.toString();
        if (gateway.readyState === WebSocket.OPEN) gateway.send(text);
        else pending.push(text);
      });
      gateway.on("open", () => {
        for (const text of pending.splice(0)) gateway.send(text);
      });
      gateway.on("message", (data) => {
        const text = data.toString();
        const verdict = proxy.filter?.(text) ?? "pass";
        if (verdict === "drop") return;
        if (verdict === "hold") held.push({ browser, text });
        else if (browser.readyState === WebSocket.OPEN) browser.send(text);
      });
      for (const side of [browser, gateway]) {
        side.on("close", end);
        side.on("error", end);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
  return proxy;
}

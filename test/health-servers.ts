/**
 * Real local servers that misbehave in the ways health checks meet in
 * practice. Each listens on 127.0.0.1 with a port the OS picks.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';

export interface Running {
  url: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP server; `handler` answers every request. */
export async function httpServer(handler: Handler, path = '/health'): Promise<Running> {
  const server = createHttpServer(handler);
  await listen(server);
  return {
    url: `http://127.0.0.1:${portOf(server)}${path}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP server that does `onConnection` with each socket: accept and stay silent, or write garbage. */
export async function tcpServer(onConnection: (socket: Socket) => void): Promise<Running> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {}); // the client hanging up is expected
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await listen(server);
  return {
    url: `http://127.0.0.1:${portOf(server)}/health`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port that was free a moment ago and has nothing listening now. */
export async function closedPortUrl(): Promise<string> {
  const server = createTcpServer();
  await listen(server);
  const port = portOf(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/health`;
}

export const json = (status: number, body: unknown): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

export const text = (status: number, body: string): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(body);
};

export const redirect = (location: string): Handler => (_req, res) => {
  res.writeHead(302, { location });
  res.end();
};

/** Sends headers, then a byte every 100 ms, forever. */
export const drip: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"status":');
  const timer = setInterval(() => res.write(' '), 100);
  res.on('close', () => clearInterval(timer));
};

/** Offers `bytes` of body in 1 MB writes, counting what the socket accepted before the client hung up. */
export function huge(bytes: number, sent: { bytes: number }): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(bytes) });
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const pump = () => {
      while (sent.bytes < bytes && !res.destroyed) {
        sent.bytes += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    res.on('error', () => {});
    pump();
  };
}

// ---------------------------------------------------------------------------

function listen(server: TcpServer): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

function portOf(server: TcpServer): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
  return address.port;
}

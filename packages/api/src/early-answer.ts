import type { Socket } from "node:net";
import type { Http2Bindings, HttpBindings } from "@hono/node-server";

/** How long a connection answered early is still read from, at most, before it is dropped. */
export const LINGER_MS = 3000;

/**
 * An answer sent before the request's body has arrived (a 413 refuses the body unread; a 401 or
 * 415 comes before it is read) leaves the rest of that body on the connection. Node's adapter
 * drains it for half a second and then destroys the socket, while the answer said keep-alive, so
 * a client's next request on that connection failed ("other side closed"). Such an answer says
 * `Connection: close` instead, and the connection is closed gently (lingerOnClose). Local server
 * only: in AWS, API Gateway and function URLs own the client's connection.
 */
export function closeIfAnsweredEarly(response: Response, bindings: HttpBindings | Http2Bindings): Response {
  const { incoming } = bindings;
  // HTTP/2 ends one stream, not the connection: nothing is left on a shared socket.
  if (incoming.httpVersionMajor !== 1) return response;
  if (response.status !== 413 && incoming.complete) return response;
  lingerOnClose(incoming.socket);
  const headers = new Headers(response.headers);
  headers.set("Connection", "close");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * Node closes a `Connection: close` answer's socket with destroySoon(): our side ends and the
 * socket is destroyed at once. With the client's body still arriving, the kernel then resets the
 * connection, and a client still sending can lose the answer it has not read yet (EPIPE). RFC 9112
 * §9.6 asks for a lingering close instead: end our side, and go on reading (the request's body is
 * drained and discarded) until the client closes its side, or LINGER_MS have passed.
 */
function lingerOnClose(socket: Socket): void {
  let lingering = false;
  socket.destroySoon = function lingeringClose(this: Socket) {
    if (lingering) return;
    lingering = true;
    this.end();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once("end", () => this.destroy());
    this.once("close", () => clearTimeout(timer));
  };
}

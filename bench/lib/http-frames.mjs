// The load generators' reading of HTTP/1.1 responses off a keep-alive socket.

/**
 * The first complete response in `buf`: `{ status, total }` (`total`: its length in bytes, head
 * and body), or `null` while it is still incomplete. Bodies are framed by Content-Length or
 * chunked encoding (the chunked one read to its terminating chunk); without either, a response
 * has no body.
 */
export function firstResponse(buf) {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd === -1) return null;
  const head = buf.toString('latin1', 0, headEnd);
  const status = Number(head.slice(9, 12));
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  let total;
  if (length) {
    total = headEnd + 4 + Number(length[1]);
  } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const end = buf.indexOf('\r\n0\r\n\r\n', headEnd);
    if (end === -1) return null;
    total = end + 7;
  } else {
    total = headEnd + 4;
  }
  return buf.length < total ? null : { status, total };
}

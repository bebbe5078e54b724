import * as z from 'zod/mini';
import { isLoopbackHost } from '../domain/chat';

/**
 * A URL we post to (a chat or webhook endpoint): https only, with no user name or password in it;
 * `problem` says what is wrong otherwise. `allowLoopbackHttp` lets a local stack post to a receiver on
 * this machine (`http://localhost:…`, `http://127.0.0.1:…`): the local CLI and the tests; never AWS.
 */
export const outboundHttpsUrl = (
  problem: string,
  { allowLoopbackHttp = false }: { allowLoopbackHttp?: boolean } = {},
) =>
  z.string().check(
    z.trim(),
    z.maxLength(2048, 'must be at most 2048 characters'),
    z.refine((text) => {
      const url = URL.parse(text);
      if (url === null || url.username !== '' || url.password !== '') return false;
      return (
        url.protocol === 'https:' ||
        (allowLoopbackHttp && url.protocol === 'http:' && isLoopbackHost(url.hostname))
      );
    }, problem),
  );

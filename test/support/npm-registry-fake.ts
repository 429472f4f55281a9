import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An npm registry on loopback that answers packument requests (`GET /<name>`, scoped names as
 * `@scope%2fname`) with the `time` map the release-age check reads. Unknown packages get npm's 404.
 */
export interface NpmRegistryFake {
  url: string;
  publish(name: string, version: string, time: Date): void;
  /** Every path requested, in order. */
  requests: string[];
  /** Make every request fail with this HTTP status (for "registry cannot be reached"). */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

export async function startNpmRegistryFake(): Promise<NpmRegistryFake> {
  const packages = new Map<string, Record<string, string>>();
  const requests: string[] = [];
  let failure: number | null = null;
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const name = decodeURIComponent(path.slice(1));
    const time = packages.get(name);
    res.setHeader('content-type', 'application/json');
    if (failure !== null) {
      res.writeHead(failure).end(JSON.stringify({ error: 'fake failure' }));
    } else if (req.method !== 'GET' || !time) {
      res.writeHead(404).end(JSON.stringify({ error: 'Not found' }));
    } else {
      const versions = Object.fromEntries(Object.keys(time).map((v) => [v, { name, version: v }]));
      res
        .writeHead(200)
        .end(
          JSON.stringify({ name, versions, time: { created: Object.values(time)[0], ...time } }),
        );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    publish(name, version, time) {
      packages.set(name, { ...packages.get(name), [version]: time.toISOString() });
    },
    requests,
    failWith(status) {
      failure = status;
    },
    close: () =>
      new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}

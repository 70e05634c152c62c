// The dashboard's routes beside the HTTP API: the page and its files (GET /), the live stream
// (GET /events), the last hour of trends (GET /trends) and what this client may do (GET /session).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ControllerPort } from '../../io/controller-port.js';
import { serveAsset } from './assets.js';
import type { Incident, KnobInfo } from './knobs.js';
import { createLiveFeed, type LiveFeed } from './live.js';
import { createTrends, type Trends } from './trends.js';

export const DASHBOARD_ROUTES = ['GET /', 'GET /events', 'GET /trends', 'GET /session'];

export interface DashboardOptions {
  readonly controller: ControllerPort;
  readonly uplinkIds: readonly string[];
  /** Present only with the sim board: the fault-injection panel. */
  readonly knobs?: readonly KnobInfo[];
  readonly incidents?: readonly Incident[];
  readonly knobValues?: () => Record<string, unknown>;
  /** Which feed is the utility and which the generator (the diagram draws the generator). */
  readonly feedRoles?: Readonly<Record<'A' | 'B', string>>;
}

export interface Dashboard {
  /** Answers a GET it owns and returns true; false leaves the request to the API. */
  handle(req: IncomingMessage, res: ServerResponse, path: string, canCommand: boolean): boolean;
  readonly live: LiveFeed;
  readonly trends: Trends;
  stop(): void;
}

const json = (res: ServerResponse, body: unknown) => {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

export function createDashboard(o: DashboardOptions): Dashboard {
  const live = createLiveFeed(o.controller, o.knobValues);
  const trends = createTrends(o.uplinkIds);
  const first = o.controller.latest();
  trends.sample(first.status, first.atMs);
  const unsubscribe = o.controller.onEvents?.((_e, atMs) => trends.sample(o.controller.latest().status, atMs));
  return {
    live,
    trends,
    handle(req, res, path, canCommand) {
      if (req.method !== 'GET') return false;
      if (path === '/events') {
        live.attach(res);
        return true;
      }
      if (path === '/trends') {
        json(res, trends.series());
        return true;
      }
      if (path === '/session') {
        json(res, {
          canCommand,
          uplinkIds: o.uplinkIds,
          roles: o.feedRoles ?? {},
          sim: o.knobs !== undefined,
          knobs: o.knobs ?? [],
          values: o.knobValues?.() ?? {},
          incidents: o.incidents ?? [],
        });
        return true;
      }
      return serveAsset(req, res, path === '/index.html' ? '/' : path);
    },
    stop() {
      unsubscribe?.();
      live.stop();
    },
  };
}
